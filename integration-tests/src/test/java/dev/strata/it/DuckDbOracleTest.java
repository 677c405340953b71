package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DuckDB as an independent oracle: the same generated documents loaded into a DuckDB table, and
 * generated queries printed in both syntaxes; the sets of matching ids must be equal.
 */
class DuckDbOracleTest {
    @Test
    void strataAndDuckDbMatchTheSameDocuments() throws Exception {
        Generated g = new Generated(11L);
        List<String> json = new ArrayList<>();
        for (int i = 0; i < 800; i++) json.add(g.document());
        Harness h = new Harness(json, "day");

        try (Connection c = duckDb(h)) {
            Generated queries = new Generated(12L);
            int nonEmpty = 0;
            for (int i = 0; i < 1200; i++) {
                Generated.Pair q = queries.condition(3);
                List<String> duck = new ArrayList<>();
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT id FROM docs WHERE " + q.sql() + " ORDER BY CAST(substr(id, 2) AS INTEGER)")) {
                    while (rs.next()) duck.add(rs.getString(1));
                }
                assertThat(h.compiled(q.strata())).as("#" + i + "\n strata: " + q.strata() + "\n duckdb: " + q.sql())
                        .containsExactlyElementsOf(duck);
                if (!duck.isEmpty()) nonEmpty++;
            }
            assertThat(nonEmpty).as("the generator asks questions with answers").isGreaterThan(300);
        }
    }

    /**
     * A DuckDB connection (one thread) holding {@code h}'s documents in table {@code docs}: one
     * column per field of {@link Generated#FIELDS} and a {@code <field>__p} presence column each.
     */
    static Connection duckDb(Harness h) throws Exception {
        Connection c = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = c.createStatement()) {
            // Division by zero gives NULL, as in Strata (DuckDB's default IEEE mode gives inf/NaN).
            s.execute("SET ieee_floating_point_ops = false");
            s.execute("SET threads = 1");
            StringBuilder ddl = new StringBuilder("CREATE TABLE docs (id VARCHAR");
            for (String[] f : Generated.FIELDS) ddl.append(", ").append(f[0]).append(' ').append(f[1]).append(", ").append(f[0]).append("__p BOOLEAN");
            s.execute(ddl.append(')').toString());
        }
        load(c, h);
        return c;
    }

    private static void load(Connection c, Harness h) throws Exception {
        StringBuilder sql = new StringBuilder("INSERT INTO docs VALUES (?");
        for (int i = 0; i < Generated.FIELDS.length; i++) sql.append(", ?, ?");
        try (PreparedStatement p = c.prepareStatement(sql.append(')').toString())) {
            for (int d = 0; d < h.docs.size(); d++) {
                Value.ObjectValue doc = h.docs.get(d);
                p.setString(1, h.ids.get(d));
                int col = 2;
                for (String[] f : Generated.FIELDS) {
                    Value v = doc.get(f[0]);
                    if (v == null || v instanceof Value.NullValue) {
                        p.setNull(col, Types.NULL);
                    } else {
                        switch (v) {
                            case Value.FloatValue x -> p.setDouble(col, x.value());
                            case Value.IntValue x -> p.setLong(col, x.value());
                            case Value.StringValue x -> p.setString(col, x.value());
                            case Value.BoolValue x -> p.setBoolean(col, x.value());
                            case Value.DateValue x -> p.setObject(col, java.time.LocalDate.ofEpochDay(x.epochDay()));
                            default -> throw new IllegalStateException("unexpected " + Json.write(v));
                        }
                    }
                    p.setBoolean(col + 1, v != null);
                    col += 2;
                }
                p.addBatch();
            }
            p.executeBatch();
        }
    }
}
