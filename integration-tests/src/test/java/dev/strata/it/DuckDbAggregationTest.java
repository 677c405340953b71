package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import dev.strata.node.Node;
import dev.strata.node.NodeConfig;
import dev.strata.node.exec.QueryExecutor;
import dev.strata.node.storage.Collection;
import dev.strata.node.storage.Mappings;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Aggregations against DuckDB as an oracle: generated documents in a Strata collection of several
 * segments and in a DuckDB table, and 1,200 generated grouped queries (keys, histograms, filters,
 * every aggregate, ordered and limited or not) whose groups and values must agree.
 *
 * <p>Ints, strings, bools, dates and counts must be equal. Floats (SUM and AVG of floats, float
 * keys) may differ in the last bits, within a relative 1e-9: floating-point addition is not
 * associative, and the two engines add a group's values in different orders (Strata segment by
 * segment, DuckDB by its own hash partitions), so the exact sum depends on the order.
 */
class DuckDbAggregationTest {
    @TempDir Path dir;

    private static final double TOLERANCE = 1e-9;

    @Test
    void strataAndDuckDbAgreeOnGeneratedAggregations() throws Exception {
        Generated g = new Generated(21L);
        List<String> json = new ArrayList<>();
        for (int i = 0; i < 900; i++) json.add(g.document());
        Harness h = new Harness(json, "day");
        try (Node node = Node.open(NodeConfig.defaults(dir).withRefreshInterval(Duration.ZERO));
             Connection c = DuckDbOracleTest.duckDb(h)) {
            Collection coll = node.create("docs", new Mappings(Map.of(FieldPath.of("day").columnKey(), ValueKind.DATE)));
            for (int i = 0; i < h.docs.size(); i++) {
                coll.put(h.ids.get(i), h.docs.get(i));
                if (i % 300 == 299) coll.refresh(); // three segments: groups merge across them
            }
            coll.refresh();
            GeneratedAggregations queries = new GeneratedAggregations(22L);
            int multiRow = 0;
            for (int i = 0; i < 1200; i++) {
                GeneratedAggregations.Query q = queries.next();
                List<List<Object>> duck = new ArrayList<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(q.sql())) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        List<Object> row = new ArrayList<>();
                        for (int col = 1; col <= columns; col++) row.add(fromDuck(rs.getObject(col)));
                        duck.add(row);
                    }
                }
                QueryExecutor.Result r = node.queries().run(coll, q.strata(), true).result();
                List<List<Object>> strata = new ArrayList<>();
                for (Map<String, Value> row : r.groups().rows()) strata.add(row.values().stream().map(DuckDbAggregationTest::fromStrata).toList());
                if (!q.ordered()) { // the same groups in any order: both sorted by their keys
                    duck.sort(byKeys(q.keys()));
                    strata.sort(byKeys(q.keys()));
                }
                String what = "#" + i + "\n strata: " + q.strata() + "\n duckdb: " + q.sql() + "\n strata rows: " + shorten(strata)
                        + "\n duckdb rows: " + shorten(duck);
                assertThat(strata.size()).as(what).isEqualTo(duck.size());
                for (int row = 0; row < duck.size(); row++) {
                    for (int col = 0; col < duck.get(row).size(); col++) {
                        assertThat(same(strata.get(row).get(col), duck.get(row).get(col))).as(what + "\n row " + row + " column " + col).isTrue();
                    }
                }
                if (duck.size() > 1) multiRow++;
            }
            assertThat(multiRow).as("the generator asks for many groups").isGreaterThan(600);
        }
    }

    private static String shorten(Object rows) {
        String s = String.valueOf(rows);
        return s.length() <= 2000 ? s : s.substring(0, 2000) + "...";
    }

    private static Comparator<List<Object>> byKeys(int keys) {
        return (a, b) -> {
            for (int k = 0; k < keys; k++) {
                int c = String.valueOf(a.get(k)).compareTo(String.valueOf(b.get(k)));
                if (c != 0) return c;
            }
            return 0;
        };
    }

    /** A DuckDB value as Long, Double, String, Boolean, LocalDate or null. */
    private static Object fromDuck(Object v) {
        return switch (v) {
            case null -> null;
            case BigInteger b -> b.longValueExact();
            case BigDecimal d -> d.doubleValue();
            case Integer i -> (long) i;
            case Short i -> (long) i;
            case Long l -> l;
            case Float f -> (double) f;
            case Double d -> d;
            case java.sql.Date d -> d.toLocalDate();
            case java.sql.Timestamp t -> t.toLocalDateTime().toLocalDate();
            case LocalDate d -> d;
            default -> v;
        };
    }

    private static Object fromStrata(Value v) {
        return switch (v) {
            case Value.NullValue n -> null;
            case Value.IntValue i -> i.value();
            case Value.FloatValue f -> f.value();
            case Value.StringValue s -> s.value();
            case Value.BoolValue b -> b.value();
            case Value.DateValue d -> LocalDate.ofEpochDay(d.epochDay());
            default -> v.toString();
        };
    }

    /** Equal; numbers by value, floats within {@link #TOLERANCE} of the larger magnitude. */
    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            if (x instanceof Long p && y instanceof Long q) return p.equals(q);
            double p = x.doubleValue();
            double q = y.doubleValue();
            return Math.abs(p - q) <= TOLERANCE * Math.max(1, Math.max(Math.abs(p), Math.abs(q)));
        }
        return java.util.Objects.equals(a, b);
    }
}
