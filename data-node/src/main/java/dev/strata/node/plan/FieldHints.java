package dev.strata.node.plan;

import dev.strata.core.ast.Expr;
import dev.strata.core.ast.Query;
import dev.strata.core.segment.Schema;
import dev.strata.core.value.FieldPath;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Warnings for fields that no document of the collection has ever had: a typo such as {@code
 * catgory = 'phones'} is not an error in a schemaless collection (a document may bring the field
 * later), but it matches nothing, so the reply says so and names the closest known field.
 */
public final class FieldHints {
    private FieldHints() {}

    /** One warning per unknown field of the query (filter, score, sort keys, SELECT items, GROUP BY keys). */
    static List<String> warnings(Query q, Schema schema) {
        Set<FieldPath> fields = new LinkedHashSet<>();
        if (q.filter() != null) collect(q.filter(), fields);
        if (q.score() != null) collect(q.score(), fields);
        Set<String> names = new java.util.HashSet<>();
        if (q.select() != null) for (Query.Item item : q.select().items()) names.add(item.name());
        for (Query.OrderKey k : q.orderBy()) {
            // a grouped query's ORDER BY n may name a SELECT item (COUNT(*) AS n), not a field
            if (q.grouped() && k.expr() instanceof Expr.Field f && names.contains(dev.strata.parser.QueryPrinter.print(f))) continue;
            collect(k.expr(), fields);
        }
        if (q.select() != null) for (Query.Item item : q.select().items()) collect(item.expr(), fields);
        for (Expr key : q.groupBy()) collect(key, fields);
        return warnings(fields, schema);
    }

    private static List<String> warnings(Set<FieldPath> fields, Schema schema) {
        List<String> known = knownPaths(schema);
        List<String> out = new ArrayList<>();
        for (FieldPath f : fields) {
            String name = FieldPath.display(f.withoutPositions().columnKey());
            if (known.contains(name) || isParentOfKnown(name, known)) continue;
            String near = closest(name, known);
            out.add("no document has the field '" + name + "'" + (near == null ? "" : "; did you mean '" + near + "'?"));
        }
        return out;
    }

    /** One warning per field of {@code dotted} (paths such as {@code brand.country}) that no document has. */
    public static List<String> forFields(List<String> dotted, Schema schema) {
        if (dotted.isEmpty()) return List.of();
        Set<FieldPath> fields = new LinkedHashSet<>();
        for (String d : dotted) fields.add(FieldPath.parseDotted(d));
        return warnings(fields, schema);
    }

    private static void collect(Expr e, Set<FieldPath> out) {
        Planner.visit(e, x -> {
            if (x instanceof Expr.Field f) out.add(f.path());
            if (x instanceof Expr.Exists ex) out.add(ex.field().path());
        });
    }

    private static List<String> knownPaths(Schema schema) {
        List<String> out = new ArrayList<>();
        for (String key : schema.byColumnKey().keySet()) out.add(FieldPath.display(key));
        return out;
    }

    private static boolean isParentOfKnown(String name, List<String> known) {
        for (String k : known) if (k.startsWith(name + ".")) return true;
        return false;
    }

    /** The known path nearest to {@code name} by edit distance, if it is near enough to be a typo (a third of its length, at most 3). */
    private static String closest(String name, List<String> known) {
        String best = null;
        int bestDistance = Math.min(3, Math.max(1, name.length() / 3)) + 1;
        for (String k : known) {
            int d = distance(name, k, bestDistance);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best;
    }

    /** Levenshtein distance with adjacent transpositions counted as one edit; stops early past {@code limit}. */
    static int distance(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) >= limit) return limit;
        int[] prev2 = new int[b.length() + 1];
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, prev2[j - 2] + 1);
                }
                cur[j] = v;
                rowMin = Math.min(rowMin, v);
            }
            if (rowMin >= limit) return limit;
            int[] t = prev2;
            prev2 = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
