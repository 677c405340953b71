package dev.strata.core.memory;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one request may hold of the heap: its big allocations are {@link #reserve reserved} before
 * they are made (or as they are made, in batches) and released when dropped; {@link #close} gives
 * back whatever is left. Reservations reach the node's {@link MemoryBreaker} in chunks of at least
 * {@value #CHUNK} bytes, so accounting small amounts costs one local add. Thread-safe.
 */
public final class MemoryBudget implements AutoCloseable {
    static final long CHUNK = 1 << 20;
    private static final MemoryBudget UNLIMITED = new MemoryBudget(null, Long.MAX_VALUE / 4);

    private final MemoryBreaker parent;
    private final long limitBytes;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();
    private long granted; // taken from the parent; guarded by this
    private boolean closed; // guarded by this

    MemoryBudget(MemoryBreaker parent, long limitBytes) {
        this.parent = parent;
        this.limitBytes = limitBytes;
    }

    /** A budget that never trips and reaches no breaker: for tests, benchmarks and constant folding. */
    public static MemoryBudget unlimited() { return UNLIMITED; }

    public long limitBytes() { return limitBytes; }

    /** What the request holds now. */
    public long usedBytes() { return used.get(); }

    /** The most it held at once. */
    public long peakBytes() { return peak.get(); }

    /**
     * Accounts {@code bytes} for {@code what} ("wasm_udf('m.f') string results", "sort buffer of
     * 2,000,000 matches"). Fails with RESOURCE_EXHAUSTED naming {@code what} and the sizes when the
     * request's limit or the node's breaker would be crossed; nothing is held then.
     */
    public void reserve(long bytes, String what) {
        if (bytes <= 0) return;
        long now = used.addAndGet(bytes);
        if (now > limitBytes) {
            used.addAndGet(-bytes);
            if (parent != null) parent.tripped();
            throw new StrataException(ErrorCode.RESOURCE_EXHAUSTED, "this request's memory budget of " + Sizes.of(limitBytes)
                    + " is exhausted: " + what + " needs " + Sizes.of(bytes) + " more, on top of " + Sizes.of(now - bytes)
                    + " it holds already (the node setting --query-memory-mb raises the budget)");
        }
        peak.accumulateAndGet(now, Math::max);
        if (parent == null) return;
        synchronized (this) {
            if (closed) return;
            if (now > granted) {
                long more = Math.max(now - granted, CHUNK);
                try {
                    parent.reserve(more, what);
                } catch (StrataException e) {
                    used.addAndGet(-bytes);
                    throw e;
                }
                granted += more;
            }
        }
    }

    /** Gives back {@code bytes} reserved earlier. */
    public void release(long bytes) {
        if (bytes <= 0) return;
        long now = used.addAndGet(-bytes);
        if (parent == null) return;
        synchronized (this) {
            // hand large surpluses back at once, so a request that shrank does not starve others
            if (!closed && granted - now > 4 * CHUNK) {
                long back = granted - now - CHUNK;
                granted -= back;
                parent.release(back);
            }
        }
    }

    /** Gives everything back to the breaker; later reservations are still checked against this budget's limit. */
    @Override
    public void close() {
        if (parent == null) return;
        synchronized (this) {
            if (closed) return;
            closed = true;
            parent.release(granted);
            granted = 0;
        }
    }
}
