package dev.strata.core.spi;

import dev.strata.core.segment.Segment;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;

/** A user function resolved for one query. Thread-safe; {@link #evaluate} may run on several threads. */
public interface UdfFunction {
    /** The kind every non-null result has. */
    ValueKind resultKind();

    /**
     * Evaluates the function for a batch of rows. Called once per batch, never per document.
     *
     * @param segment the segment the rows come from (a function without arguments reads it)
     * @param docs the document of each row
     * @param count number of rows
     * @param args {@code args[a][row]}: argument {@code a} of each row (null = missing)
     * @param out receives the result of each row ({@link Value#NULL} for null)
     * @throws dev.strata.core.StrataException UDF_FAILED naming module, function and document
     */
    void evaluate(Segment segment, int[] docs, int count, Value[][] args, Value[] out);
}
