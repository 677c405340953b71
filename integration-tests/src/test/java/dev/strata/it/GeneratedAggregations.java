package dev.strata.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated grouped queries over {@link Generated}'s documents, in Strata's syntax and in DuckDB's
 * SQL over the same table. Item {@code i} is named {@code c<i>} in both; keys come first, then the
 * aggregates. Half the queries are ordered by a count with a LIMIT (ties broken by the keys
 * ascending, nulls last, in both), the rest return every group.
 */
final class GeneratedAggregations {
    record Query(String strata, String sql, int keys, boolean ordered) {}

    /** Group keys: Strata's, DuckDB's. */
    private static final String[][] KEYS = {
        {"category", "category"}, {"flag", "flag"}, {"qty", "qty"}, {"n", "n"}, {"day", "day"},
        // + 0.0: Strata's -0.0 = 0.0 holds for groups too, where DuckDB keeps -0.0 a group of its own
        {"histogram(price, 25)", "floor(price / 25) * 25 + 0.0"}, {"histogram(price, 0.5)", "floor(price / 0.5) * 0.5 + 0.0"},
        {"histogram(n, 10)", "CAST(floor(n / 10) AS BIGINT) * 10"}, {"histogram(qty, 3)", "CAST(floor(qty / 3) AS BIGINT) * 3"},
        {"date_histogram(day, 'month')", "CAST(date_trunc('month', day) AS DATE)"},
        {"date_histogram(day, 'year')", "CAST(date_trunc('year', day) AS DATE)"},
        {"date_histogram(day, 'week')", "CAST(date_trunc('week', day) AS DATE)"},
        {"date_histogram(day, 'quarter')", "CAST(date_trunc('quarter', day) AS DATE)"},
        {"lower(category)", "lower(category)"}, {"length(title)", "length(title)"}, {"qty * 2 - n", "qty * 2 - n"}};

    private static final String[] NUMBERS = {"price", "qty", "n", "qty * price", "n - qty"};
    private static final String[] ANY = {"price", "qty", "n", "category", "title", "flag", "day"};
    private static final String[] DISTINCT = {"category", "qty", "n", "flag", "day", "title", "lower(category)"};

    private final Random r;
    private final Generated conditions;

    GeneratedAggregations(long seed) {
        this.r = new Random(seed);
        this.conditions = new Generated(seed * 31 + 7);
    }

    Query next() {
        List<String> strata = new ArrayList<>();
        List<String> sql = new ArrayList<>();
        List<String> groupStrata = new ArrayList<>();
        List<String> groupSql = new ArrayList<>();
        int keys = r.nextInt(8) == 0 ? 0 : 1 + r.nextInt(r.nextInt(3) == 0 ? 2 : 1);
        List<Integer> chosen = new ArrayList<>();
        while (chosen.size() < keys) {
            int k = r.nextInt(KEYS.length);
            if (!chosen.contains(k)) chosen.add(k);
        }
        for (int k : chosen) {
            strata.add(KEYS[k][0] + " AS c" + strata.size());
            sql.add(KEYS[k][1] + " AS c" + sql.size());
            groupStrata.add(KEYS[k][0]);
            groupSql.add(KEYS[k][1]);
        }
        boolean ordered = keys > 0 && r.nextBoolean();
        if (ordered) { // the count goes first among the aggregates, so ORDER BY can name it
            strata.add("COUNT(*) AS c" + strata.size());
            sql.add("COUNT(*) AS c" + sql.size());
        }
        for (int a = 1 + r.nextInt(3); a > 0; a--) {
            String[] agg = aggregate();
            strata.add(agg[0] + " AS c" + strata.size());
            sql.add(agg[1] + " AS c" + sql.size());
        }
        StringBuilder s = new StringBuilder("SELECT ").append(String.join(", ", strata));
        StringBuilder q = new StringBuilder("SELECT ").append(String.join(", ", sql)).append(" FROM docs");
        if (r.nextInt(3) != 0) {
            Generated.Pair c = conditions.condition(2);
            s.append(" WHERE ").append(c.strata());
            q.append(" WHERE ").append(c.sql());
        }
        if (keys > 0) {
            s.append(" GROUP BY ").append(String.join(", ", groupStrata));
            q.append(" GROUP BY ").append(String.join(", ", groupSql));
        }
        if (ordered) {
            int limit = 1 + r.nextInt(6);
            String countColumn = "c" + keys;
            boolean descending = r.nextBoolean();
            s.append(" ORDER BY ").append(countColumn).append(descending ? " DESC" : "").append(" LIMIT ").append(limit);
            q.append(" ORDER BY ").append(countColumn).append(descending ? " DESC" : " ASC");
            for (int k = 0; k < keys; k++) q.append(", c").append(k).append(" ASC NULLS LAST");
            q.append(" LIMIT ").append(limit);
        }
        return new Query(s.toString(), q.toString(), keys, ordered);
    }

    private String[] aggregate() {
        return switch (r.nextInt(7)) {
            case 0 -> new String[] {"COUNT(*)", "COUNT(*)"};
            case 1 -> {
                String f = pick(ANY);
                yield new String[] {"COUNT(" + f + ")", "COUNT(" + f + ")"};
            }
            case 2 -> {
                String f = pick(NUMBERS);
                yield new String[] {"SUM(" + f + ")", "SUM(" + f + ")"};
            }
            case 3 -> {
                String f = pick(NUMBERS);
                yield new String[] {"AVG(" + f + ")", "AVG(" + f + ")"};
            }
            case 4 -> {
                String f = pick(ANY);
                yield new String[] {"MIN(" + f + ")", "MIN(" + f + ")"};
            }
            case 5 -> {
                String f = pick(ANY);
                yield new String[] {"MAX(" + f + ")", "MAX(" + f + ")"};
            }
            default -> {
                String f = pick(DISTINCT);
                yield new String[] {"COUNT(DISTINCT " + f + ")", "COUNT(DISTINCT " + f + ")"};
            }
        };
    }

    private String pick(String[] from) { return from[r.nextInt(from.length)]; }
}
