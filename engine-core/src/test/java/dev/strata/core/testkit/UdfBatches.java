package dev.strata.core.testkit;

import dev.strata.core.segment.Bits;
import dev.strata.core.segment.Segment;
import dev.strata.core.segment.SegmentBuilder;
import dev.strata.core.spi.ExecutionContext;
import dev.strata.core.spi.UdfBatch;
import dev.strata.core.spi.UdfFunction;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;

/** Test help for UDF tiers: a segment from JSON lines, and one batch over all its documents. */
public final class UdfBatches {
    private UdfBatches() {}

    /** A segment whose documents are {@code d0, d1, ...}. */
    public static Segment segment(String... docs) {
        SegmentBuilder b = new SegmentBuilder();
        for (int i = 0; i < docs.length; i++) b.add("d" + i, (Value.ObjectValue) Json.parse(docs[i]));
        return b.build();
    }

    /**
     * Evaluates {@code f} over every document of {@code s} in one batch, as the expression tier
     * would; {@code columns[a][row]} is argument {@code a} of each row (Long, Integer, Double,
     * String or Boolean; null for missing). Returns each row's result, {@link Value#NULL} for null.
     */
    public static Value[] run(UdfFunction f, Segment s, ExecutionContext ctx, Object[]... columns) {
        int n = s.docCount();
        UdfBatch b = UdfBatch.allocate(f.parameterKinds(), n);
        for (int a = 0; a < columns.length; a++) {
            for (int i = 0; i < n; i++) {
                Object v = columns[a][i];
                if (v == null) continue;
                b.argValid[a][i >>> 6] |= 1L << i;
                switch (v) {
                    case Long l -> b.longs[a][i] = l;
                    case Integer x -> b.longs[a][i] = x;
                    case Boolean x -> b.longs[a][i] = x ? 1 : 0;
                    case Double d -> b.doubles[a][i] = d;
                    case String str -> b.strings[a][i] = str;
                    default -> throw new IllegalArgumentException(String.valueOf(v));
                }
            }
        }
        b.context = ctx;
        b.segment = s;
        f.evaluate(b);
        Value[] out = new Value[n];
        for (int i = 0; i < n; i++) {
            if (!Bits.get(b.outValid, i)) out[i] = Value.NULL;
            else out[i] = switch (f.resultKind()) {
                case INT -> Value.of(b.outLongs[i]);
                case BOOL -> Value.of(b.outLongs[i] != 0);
                case FLOAT -> Value.of(b.outDoubles[i]);
                case STRING -> Value.of(b.outStrings[i]);
                default -> throw new IllegalStateException("result kind " + f.resultKind());
            };
        }
        return out;
    }
}
