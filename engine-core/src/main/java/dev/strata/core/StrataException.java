package dev.strata.core;

import java.util.Objects;

/** The one unchecked root of every error Strata raises on purpose. */
public class StrataException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public StrataException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public StrataException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() { return code; }
}
