package dev.strata.core;

import java.util.Objects;

/**
 * The one unchecked root of every error Strata raises on purpose. A user error carries no stack
 * trace (it is the caller's to fix, and a bulk of a million bad lines must not pay for a million
 * traces); resource and internal errors keep theirs for the logs.
 */
public class StrataException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public StrataException(ErrorCode code, String message) { this(code, message, null); }

    public StrataException(ErrorCode code, String message, Throwable cause) {
        super(message, cause, true, Objects.requireNonNull(code, "code").kind() != ErrorCode.Kind.USER);
        this.code = code;
    }

    public ErrorCode code() { return code; }
}
