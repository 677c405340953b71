package dev.strata.wasm.internal;

/**
 * A guest went past one of its module's caps (result size, field handles, path length): the call
 * fails with this reason, and the instance is discarded like after a trap.
 */
final class LimitExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LimitExceeded(String reason) { super(reason, null, false, false); }
}
