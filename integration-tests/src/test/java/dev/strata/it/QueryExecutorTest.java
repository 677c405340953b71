package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.ErrorCode;
import dev.strata.core.QueryException;
import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import dev.strata.node.exec.QueryExecutor;
import dev.strata.node.tier.TierRegistry;
import dev.strata.node.Node;
import dev.strata.node.NodeConfig;
import dev.strata.node.storage.Collection;
import dev.strata.node.storage.Mappings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scoring, sorting and paging, and the tiers found by ServiceLoader. */
class QueryExecutorTest {
    private static final List<String> DOCS = List.of(
            "{\"p\":3,   \"s\":\"b\", \"at\":\"2024-01-02T00:00:00Z\", \"t\":[5,1]}",
            "{\"p\":null,\"s\":\"a\", \"at\":\"2024-01-01T12:00:00Z\", \"t\":[2]}",
            "{\"p\":1.5, \"s\":\"c\", \"at\":\"2023-12-31T23:59:59.999999Z\"}",
            "{          \"s\":\"a\", \"at\":\"2024-01-01T00:00:00+01:00\", \"t\":[9]}",
            "{\"p\":2,   \"s\":\"\\uD83D\\uDE00\"}");

    @TempDir static Path dir;
    private static Node node;
    private static Collection collection;

    @BeforeAll
    static void load() {
        node = Node.open(NodeConfig.defaults(dir).withRefreshInterval(Duration.ZERO));
        collection = node.create("t", new Mappings(Map.of(FieldPath.of("at").columnKey(), ValueKind.TIMESTAMP)));
        // two segments, so sorting and paging work across them
        for (int i = 0; i < DOCS.size(); i++) {
            collection.put("d" + i, (Value.ObjectValue) Json.parse(DOCS.get(i)));
            if (i == 1) collection.refresh();
        }
        collection.refresh();
    }

    @AfterAll
    static void close() { node.close(); }

    private static QueryExecutor.Result run(String query) { return node.queries().run(collection, query, true).result(); }

    private static List<String> ids(String query) {
        return run(query).hits().stream().map(QueryExecutor.Hit::id).toList();
    }

    @Test
    void tiersAreFoundByServiceLoaderAndMissingOnesAreNamed() {
        assertThat(TierRegistry.installed()).containsExactly("expression", "wasm_udf", "python_udf");
        TierRegistry expressionOnly = new TierRegistry(List.of(new dev.strata.expr.ExpressionTierProvider()));
        var call = new dev.strata.core.ast.Expr.UdfCall("python_udf", "text", "len", List.of(), dev.strata.core.ast.Span.NONE);
        assertThatThrownBy(() -> expressionOnly.resolve(call, List.of()))
                .hasMessageStartingWith("the python_udf tier is not installed")
                .extracting(e -> ((dev.strata.core.StrataException) e).code()).isEqualTo(ErrorCode.TIER_NOT_INSTALLED);
    }

    @Test
    void nullsAndMissingSortLastInBothDirections() {
        assertThat(ids("ORDER BY p")).containsExactly("d2", "d4", "d0", "d1", "d3");
        assertThat(ids("ORDER BY p DESC")).containsExactly("d0", "d4", "d2", "d1", "d3");
    }

    @Test
    void stringsSortByCodePointAndTiesFallToTheNextKey() {
        assertThat(ids("ORDER BY s, p DESC")).containsExactly("d1", "d3", "d0", "d2", "d4");
    }

    @Test
    void anArraySortsByItsFirstElement() {
        assertThat(ids("t IS NOT MISSING ORDER BY t")).containsExactly("d1", "d0", "d3");
    }

    @Test
    void scoreSetByAnExpressionRanksBestFirstAndCanBeSortedOn() {
        assertThat(ids("p IS NOT NULL SET _score = p * 2")).containsExactly("d0", "d4", "d2");
        assertThat(ids("p IS NOT NULL SET _score = p ORDER BY _score")).containsExactly("d2", "d4", "d0");
        assertThat(ids("p IS NOT NULL SET _score = -p ORDER BY _score * -1 DESC")).containsExactly("d0", "d4", "d2");
        assertThatThrownBy(() -> ids("_score > 1"))
                .hasMessageStartingWith("_score is only known after filtering; use it in ORDER BY at line 1, column 1");
    }

    @Test
    void limitAndOffsetPageThroughTheSortedMatchesAndTheTotalCountsThemAll() {
        assertThat(ids("ORDER BY s LIMIT 2 OFFSET 1")).containsExactly("d3", "d0");
        assertThat(ids("ORDER BY s LIMIT 2 OFFSET 10")).isEmpty();
        String q = "s != 'z' LIMIT 1";
        QueryExecutor.Result r = run(q);
        assertThat(r.total()).isEqualTo(5);
        assertThat(r.hits()).hasSize(1);
    }

    @Test
    void timestampsCompareAsInstantsAndDatesAtMidnightUtc() {
        assertThat(ids("at >= TIMESTAMP '2024-01-01T00:00:00Z' ORDER BY at"))
                .containsExactly("d1", "d0"); // d3 is 2023-12-31T23:00Z (written with +01:00)
        assertThat(ids("at < DATE '2024-01-01' ORDER BY at")).containsExactly("d3", "d2");
        assertThat(ids("at BETWEEN DATE '2024-01-01' AND DATE '2024-01-02'")).containsExactly("d0", "d1");
    }
}
