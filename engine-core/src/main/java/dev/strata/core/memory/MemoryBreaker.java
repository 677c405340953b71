package dev.strata.core.memory;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node-wide parent of every {@link MemoryBudget}. It trips when what all requests hold would
 * pass {@link #limitBytes()}, or when the heap that survived the last collection plus the bytes
 * asked for would pass {@link #heapCeilingBytes()} (real heap use, so memory that is not
 * accounted, such as the documents a node holds, counts too). Thread-safe.
 *
 * <p>The real-heap check reads each heap pool's usage after its last collection, not the current
 * usage: current usage includes garbage and would trip on a healthy heap between collections.
 */
public final class MemoryBreaker {
    /** Share of the maximum heap all requests together may hold, by default. */
    public static final double DEFAULT_LIMIT_FRACTION = 0.6;
    /** Share of the maximum heap that live data plus request reservations may reach. */
    public static final double HEAP_CEILING_FRACTION = 0.9;

    private final long limitBytes;
    private final long heapCeilingBytes;
    private final long queryLimitBytes;
    private final AtomicLong reserved = new AtomicLong();
    private final AtomicLong trips = new AtomicLong();
    private final List<MemoryPoolMXBean> heapPools;
    private static final long COLLECT_EVERY_MILLIS = 5_000;
    private long lastCollection; // guarded by this

    /**
     * @param limitBytes what all requests together may hold
     * @param queryLimitBytes what one query may hold (its {@link MemoryBudget}'s limit)
     */
    public MemoryBreaker(long limitBytes, long queryLimitBytes) {
        if (limitBytes <= 0 || queryLimitBytes <= 0) throw new IllegalArgumentException("memory limits must be positive");
        this.limitBytes = limitBytes;
        this.queryLimitBytes = queryLimitBytes;
        this.heapCeilingBytes = (long) (maxHeap() * HEAP_CEILING_FRACTION);
        this.heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported()).toList();
    }

    /** Limits from the heap: all requests {@value #DEFAULT_LIMIT_FRACTION} of it, one query {@code queryFraction} of it. */
    public static MemoryBreaker ofHeap(double queryFraction) {
        long max = maxHeap();
        return new MemoryBreaker((long) (max * DEFAULT_LIMIT_FRACTION), (long) (max * queryFraction));
    }

    /** A breaker that never trips: for tests, benchmarks and tools. */
    public static MemoryBreaker unlimited() { return new MemoryBreaker(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4); }

    /** The JVM's maximum heap ({@code -Xmx}), or its current size when it has no maximum. */
    public static long maxHeap() {
        long max = Runtime.getRuntime().maxMemory();
        return max == Long.MAX_VALUE ? Runtime.getRuntime().totalMemory() : max;
    }

    public long limitBytes() { return limitBytes; }

    public long queryLimitBytes() { return queryLimitBytes; }

    public long heapCeilingBytes() { return heapCeilingBytes; }

    /** What all open budgets hold now. */
    public long reservedBytes() { return reserved.get(); }

    /** How many requests this breaker (or a budget under it) has failed. */
    public long trips() { return trips.get(); }

    /** A budget for one query, limited to {@link #queryLimitBytes()}; close it when the query's response is written. */
    public MemoryBudget newQueryBudget() { return new MemoryBudget(this, queryLimitBytes); }

    /** A budget for one request with its own limit (a bulk, for example). */
    public MemoryBudget newBudget(long limitBytes) { return new MemoryBudget(this, Math.min(limitBytes, this.limitBytes)); }

    /** Heap that survived the last collection of each heap pool: live data, near enough. */
    public long liveHeapBytes() {
        long live = 0;
        for (MemoryPoolMXBean p : heapPools) {
            MemoryUsage u = p.getCollectionUsage();
            if (u != null) live += u.getUsed();
        }
        return live;
    }

    /** Takes {@code bytes} for {@code what}; trips (and takes nothing) when the node cannot spare them. */
    void reserve(long bytes, String what) {
        long now = reserved.addAndGet(bytes);
        if (now > limitBytes) {
            reserved.addAndGet(-bytes);
            trips.incrementAndGet();
            throw new StrataException(ErrorCode.RESOURCE_EXHAUSTED, "the node's memory budget for requests is exhausted: " + what
                    + " needs " + Sizes.of(bytes) + " more, and requests running now hold " + Sizes.of(now - bytes) + " of "
                    + Sizes.of(limitBytes) + "; retry when fewer requests run, or make this one smaller");
        }
        if (limitBytes >= Long.MAX_VALUE / 4) return;
        // What requests hold is (once allocated) part of the live heap already: only the new bytes are added to it.
        long live = liveHeapBytes();
        if (live + bytes > heapCeilingBytes && collectIfDue()) live = liveHeapBytes();
        if (live + bytes > heapCeilingBytes) {
            reserved.addAndGet(-bytes);
            trips.incrementAndGet();
            throw new StrataException(ErrorCode.RESOURCE_EXHAUSTED, "the node's heap is nearly full: " + what + " needs "
                    + Sizes.of(bytes) + " more, with " + Sizes.of(live) + " live after the last full collection, of a ceiling of "
                    + Sizes.of(heapCeilingBytes) + "; retry later, or give the node more heap");
        }
    }

    /**
     * "Live after the last collection" may include garbage the last young collection did not
     * reach; before failing a request on it, make one full collection (at most every
     * {@value #COLLECT_EVERY_MILLIS} ms) so the figure is true. Returns whether it collected.
     */
    private synchronized boolean collectIfDue() {
        long now = System.nanoTime();
        if (lastCollection != 0 && now - lastCollection < COLLECT_EVERY_MILLIS * 1_000_000) return false;
        lastCollection = now;
        System.gc();
        return true;
    }

    void release(long bytes) { reserved.addAndGet(-bytes); }

    void tripped() { trips.incrementAndGet(); }
}
