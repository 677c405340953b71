package dev.strata.core.spi;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one UDF during one query run, added to by any thread, read by explain/profile. */
public final class UdfStats {
    private final String tier;
    private final String function;
    private final LongAdder calls = new LongAdder();
    private final LongAdder rows = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private final LongAdder traps = new LongAdder();
    private final LongAdder reused = new LongAdder();

    public UdfStats(String tier, String function) {
        this.tier = tier;
        this.function = function;
    }

    /** Records one batch: {@code calls} entries into the guest for {@code rows} rows, taking {@code nanos}. */
    public void record(long calls, long rows, long nanos) {
        this.calls.add(calls);
        this.rows.add(rows);
        this.nanos.add(nanos);
    }

    public void trap() { traps.increment(); }

    /** Records {@code rows} rows answered from earlier results of a deterministic function, without a call. */
    public void reuse(long rows) { reused.add(rows); }

    public String tier() { return tier; }

    public String function() { return function; }

    public long calls() { return calls.sum(); }

    public long rows() { return rows.sum(); }

    public long nanos() { return nanos.sum(); }

    public long traps() { return traps.sum(); }

    /** Rows answered from earlier results (a deterministic function called once per distinct argument). */
    public long reused() { return reused.sum(); }
}
