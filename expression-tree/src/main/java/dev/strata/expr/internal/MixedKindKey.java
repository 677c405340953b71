package dev.strata.expr.internal;

import dev.strata.core.segment.FieldColumn;
import dev.strata.core.segment.Segment;
import dev.strata.core.spi.CompiledValue;
import dev.strata.core.spi.ExecutionContext;
import dev.strata.core.spi.SortKeys;
import dev.strata.core.value.FieldPath;
import dev.strata.core.value.ValueKind;
import java.util.EnumSet;
import java.util.Set;

/**
 * A sort key on a bare field whose values are of several kinds across documents (strings in some,
 * numbers in others): each document's value is read with its own kind, so values of different
 * kinds sort by kind and values of one kind by value, as the README's rule says. (The typed path
 * reads a field as the one kind its context needs, which for a key would make the others null.)
 * An array sorts by its first element; a document without the field has no key (it sorts last).
 * Dates are compared as timestamps, as everywhere else.
 */
public final class MixedKindKey implements CompiledValue {
    private final FieldPath path;

    private MixedKindKey(FieldPath path) { this.path = path; }

    /** The key for {@code path} when its kinds span more than one family; null when the typed path serves. */
    public static MixedKindKey forField(FieldPath path, Set<ValueKind> kinds) {
        if (!path.isKeysOnly()) return null;
        Set<TypeInference.Family> families = EnumSet.noneOf(TypeInference.Family.class);
        for (ValueKind k : kinds) {
            Type t = Type.of(k);
            if (t != null) families.add(TypeInference.family(t));
        }
        return families.size() > 1 ? new MixedKindKey(path) : null;
    }

    @Override
    public Bound bind(Segment segment, ExecutionContext run) {
        FieldColumn c = segment.column(path);
        return new Bound() {
            @Override
            public void evaluateScores(int[] docs, int count, double[] out) {
                for (int i = 0; i < count; i++) {
                    int e = element(c, docs[i]);
                    ValueKind k = e < 0 ? null : c.elementKind(e);
                    out[i] = k == ValueKind.INT ? c.longAt(e) : k == ValueKind.FLOAT ? c.doubleAt(e) : Double.NaN;
                }
            }

            @Override
            public void evaluateValues(int[] docs, int count, double[] scores, dev.strata.core.value.Value[] out) {
                for (int i = 0; i < count; i++) {
                    int e = element(c, docs[i]);
                    ValueKind k = e < 0 ? null : c.elementKind(e);
                    out[i] = k == null || k == ValueKind.OBJECT ? dev.strata.core.value.Value.NULL : c.elementValue(e);
                }
            }

            @Override
            public void evaluateKeys(int[] docs, int count, double[] scores, SortKeys out) {
                out.ensure(count);
                for (int i = 0; i < count; i++) {
                    int e = element(c, docs[i]);
                    ValueKind k = e < 0 ? null : c.elementKind(e);
                    if (k == null) {
                        out.setNull(i);
                        continue;
                    }
                    switch (k) {
                        case INT -> out.setInt(i, c.longAt(e));
                        case FLOAT -> out.setFloat(i, c.doubleAt(e));
                        case STRING -> out.setString(i, c.dictionary().get((int) c.longAt(e)));
                        case BOOL, TIMESTAMP -> out.setPayload(i, k, c.longAt(e));
                        case DATE -> out.setPayload(i, ValueKind.TIMESTAMP, c.longAt(e) * 86_400_000_000L);
                        default -> out.setNull(i);
                    }
                }
            }
        };
    }

    /** The document's first element, or -1 when it has none. */
    private static int element(FieldColumn c, int doc) {
        return c == null || c.elementCount(doc) < 1 ? -1 : c.elementStart(doc);
    }
}
