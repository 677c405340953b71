package dev.strata.node.index;

import dev.strata.core.value.Value;

/** One end of a range: a constant and whether it is included. A null bound is open. */
public record Bound(Value value, boolean inclusive) {
    public Bound {
        if (value == null) throw new IllegalArgumentException("a bound needs a value; use null for an open end");
        if (value instanceof Value.FloatValue f && f.value() == 0.0) value = new Value.FloatValue(0.0);
    }
}
