package dev.strata.core.spi;

import dev.strata.core.segment.Schema;
import java.util.Objects;

/**
 * What a tier may know while compiling: the query text (for positioned errors), the kinds seen
 * under each path in the segments the query reads, and who evaluates UDF calls.
 */
public record CompileContext(String queryText, Schema schema, UdfResolver udfs) {
    public CompileContext {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(udfs, "udfs");
    }

    /** A context without UDF tiers: any UDF call is an error naming the missing tier. */
    public static CompileContext of(String queryText, Schema schema) {
        return new CompileContext(queryText, schema, UdfResolver.NONE);
    }
}
