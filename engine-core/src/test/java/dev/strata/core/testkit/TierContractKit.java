package dev.strata.core.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.ast.Expr;
import dev.strata.core.segment.Schema;
import dev.strata.core.segment.Segment;
import dev.strata.core.segment.SegmentBuilder;
import dev.strata.core.spi.CompileContext;
import dev.strata.core.spi.CompiledClause;
import dev.strata.core.spi.SegmentFilter;
import dev.strata.core.spi.TierEnvironment;
import dev.strata.core.spi.TierFactory;
import dev.strata.core.spi.TierProvider;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every tier passes. A tier's test extends this class, names its factory and gives
 * clauses it accepts with the ids they must match over {@link #fixtureDocuments()}.
 */
public abstract class TierContractKit {

    /** A clause and the ids of the fixture documents it must match. */
    public record ContractCase(String description, Expr clause, List<String> expectedIds) {}

    /** The tier's factory, as {@link ServiceLoader} finds it. */
    protected abstract TierFactory factory();

    @TempDir
    Path tierDirectory;
    private TierProvider provider;

    /** The tier under test, created by {@link #factory()} once per test on a directory of its own. */
    protected TierProvider provider() {
        if (provider == null) provider = factory().create(new TierEnvironment(tierDirectory, Map.of()));
        return provider;
    }

    @AfterEach
    void closeTier() {
        if (provider != null) provider.close();
    }

    /** At least one case; each clause must be accepted by the tier. */
    protected abstract List<ContractCase> cases();

    /** A clause the tier accepts but must refuse to compile over the fixture (e.g. badly typed). */
    protected abstract Expr invalidClause();

    /** A compile context over {@code segments}; tiers with UDFs override it to install a resolver. */
    protected CompileContext context(Schema schema) { return CompileContext.of(null, schema); }

    /** The fixture: 300 documents with ints, floats, strings, bools, nulls, missing keys and arrays. */
    public static List<String> fixtureDocuments() {
        List<String> docs = new ArrayList<>();
        String[] colors = {"red", "green", "blue", "Grün", "\uD83D\uDE00"};
        for (int i = 0; i < 300; i++) {
            StringBuilder d = new StringBuilder("{");
            d.append("\"n\":").append(i);
            if (i % 7 != 0) d.append(",\"price\":").append(i % 50 + 0.5);
            else if (i % 14 == 0) d.append(",\"price\":null");
            d.append(",\"color\":\"").append(colors[i % colors.length]).append('"');
            d.append(",\"flag\":").append(i % 3 == 0);
            if (i % 10 == 0) d.append(",\"tags\":[\"a\",\"b\"]");
            else if (i % 10 == 1) d.append(",\"tags\":[]");
            d.append('}');
            docs.add(d.toString());
        }
        return docs;
    }

    public static Segment fixtureSegment() {
        SegmentBuilder b = new SegmentBuilder();
        List<String> docs = fixtureDocuments();
        for (int i = 0; i < docs.size(); i++) b.add("d" + i, (Value.ObjectValue) Json.parse(docs.get(i)));
        return b.build();
    }

    private static List<String> run(SegmentFilter f, Segment s, int batch) {
        List<String> ids = new ArrayList<>();
        int[] docs = new int[batch];
        for (int start = 0; start < s.docCount(); start += batch) {
            int n = Math.min(batch, s.docCount() - start);
            for (int i = 0; i < n; i++) docs[i] = start + i;
            int kept = f.filter(docs, n);
            for (int i = 0; i < kept; i++) {
                if (i > 0) assertThat(docs[i]).as("survivors stay in ascending order").isGreaterThan(docs[i - 1]);
                ids.add(s.id(docs[i]));
            }
        }
        return ids;
    }

    @Test
    void nameIsStableAndLowerCase() {
        assertThat(provider().name()).matches("[a-z][a-z_]*");
        assertThat(provider().name()).isEqualTo(provider().name());
    }

    @Test
    void factoryIsFoundByServiceLoaderAndCreatesAReadyTierOfItsName() {
        assertThat(ServiceLoader.load(TierFactory.class).stream().map(ServiceLoader.Provider::type))
                .as("META-INF/services registers the tier's factory")
                .contains(factory().getClass().asSubclass(TierFactory.class));
        assertThat(provider().name()).isEqualTo(factory().name());
        assertThat(provider().health().status()).isNotNull();
    }

    @Test
    void everyCaseMatchesExactlyItsIdsWhateverTheBatchSize() {
        Segment s = fixtureSegment();
        assertThat(cases()).isNotEmpty();
        for (ContractCase c : cases()) {
            assertThat(provider().clauses()).as("a clause-compiling tier offers clauses()").isPresent();
            CompiledClause compiled = provider().clauses().orElseThrow().compile(c.clause(), context(s.schema()));
            for (int batch : new int[] {1, 7, 64, 1000, SegmentFilter.MAX_BATCH}) {
                assertThat(run(compiled.bind(s), s, batch)).as(c.description() + " in batches of " + batch)
                        .containsExactlyElementsOf(c.expectedIds());
            }
        }
    }

    @Test
    void sparseCandidatesKeepOnlyMatchingOnes() {
        Segment s = fixtureSegment();
        for (ContractCase c : cases()) {
            SegmentFilter f = provider().clauses().orElseThrow().compile(c.clause(), context(s.schema())).bind(s);
            int[] docs = new int[s.docCount()];
            int n = 0;
            for (int d = 1; d < s.docCount(); d += 3) docs[n++] = d;
            int kept = f.filter(docs, n);
            List<String> got = new ArrayList<>();
            for (int i = 0; i < kept; i++) got.add(s.id(docs[i]));
            List<String> expected = c.expectedIds().stream()
                    .filter(id -> Integer.parseInt(id.substring(1)) % 3 == 1).toList();
            assertThat(got).as(c.description()).containsExactlyElementsOf(expected);
            assertThat(f.filter(docs, 0)).isZero();
        }
    }

    @Test
    void oneCompiledClauseServesSeveralSegmentsAndThreads() throws Exception {
        Segment s = fixtureSegment();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (ContractCase c : cases()) {
                CompiledClause compiled = provider().clauses().orElseThrow().compile(c.clause(), context(s.schema()));
                List<Future<List<String>>> futures = new ArrayList<>();
                for (int t = 0; t < 4; t++) futures.add(pool.submit(() -> run(compiled.bind(s), s, 100)));
                for (Future<List<String>> f : futures) {
                    assertThat(f.get()).as(c.description()).containsExactlyElementsOf(c.expectedIds());
                }
                Segment empty = new SegmentBuilder().build();
                assertThat(run(compiled.bind(empty), empty, 10)).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void invalidClauseIsAUserErrorNotACrash() {
        Segment s = fixtureSegment();
        assertThatThrownBy(() -> provider().clauses().orElseThrow().compile(invalidClause(), context(s.schema())))
                .isInstanceOf(StrataException.class)
                .satisfies(e -> assertThat(((StrataException) e).code().kind()).isEqualTo(ErrorCode.Kind.USER));
    }
}
