package dev.strata.expr.internal;

import dev.strata.core.segment.SegmentBuilder;
import dev.strata.core.segment.Segment;
import dev.strata.core.spi.ExecutionContext;
import dev.strata.core.value.Value;

/** Computes a subtree that reads nothing from documents, with the same kernels queries use. */
final class ConstantFolder {
    private ConstantFolder() {}

    private static final Segment EMPTY = new SegmentBuilder().build();

    static Value evaluate(Typed t) {
        Binder binder = new Binder(EMPTY, ExecutionContext.unbounded());
        Rows rows = new Rows(EMPTY, ExecutionContext.unbounded());
        rows.setDocs(new int[] {0}, 1);
        Vec v = t.type() == Type.BOOL ? binder.condition(t) : binder.value(t);
        v.eval(rows);
        return CallKernels.box(v, t.type(), 0, 1);
    }

    /** The long payload of an int, bool, date or timestamp constant. */
    static long asLong(Value v) {
        return switch (v) {
            case Value.IntValue i -> i.value();
            case Value.BoolValue b -> b.value() ? 1 : 0;
            case Value.DateValue d -> d.epochDay();
            case Value.TimestampValue ts -> ts.epochMicros();
            default -> throw new IllegalArgumentException("not a long-typed constant: " + v);
        };
    }
}
