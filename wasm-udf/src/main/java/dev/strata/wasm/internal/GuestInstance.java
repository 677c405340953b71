package dev.strata.wasm.internal;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One pooled instance of a module version with everything resolved once: export handles by
 * function slot, alloc/free, the document context its host functions read, a host-owned scratch
 * region in linear memory for strings and columns, and reusable argument arrays. Never used by two
 * threads at once: the pool hands it out with a compare-and-set on {@link #state}.
 */
final class GuestInstance {
    static final int IDLE = 0, BUSY = 1;

    final Instance instance;
    final Memory memory;
    final DocContext context;
    final ExportFunction[] functions;
    final ExportFunction alloc;
    final ExportFunction free;
    final BoundedOutput output;
    final AtomicInteger state = new AtomicInteger(BUSY);
    /** Set when a call trapped or was interrupted: the instance's state is unknown, so it is dropped. */
    boolean broken;
    int slot = -1;
    private int scratchPtr;
    private int scratchCap;
    private final long[][] args = new long[16][];
    private int[] rows = new int[0];
    private byte[] staging = new byte[0];

    GuestInstance(Instance instance, DocContext context, ExportFunction[] functions, BoundedOutput output) {
        this.instance = instance;
        this.memory = instance.memory();
        this.context = context;
        this.functions = functions;
        this.output = output;
        ExportFunction a = null, f = null;
        try {
            a = instance.export("alloc");
            f = instance.export("free");
        } catch (RuntimeException e) {
            // a module that passes no strings or columns needs neither
        }
        this.alloc = a;
        this.free = f;
    }

    /** A reusable argument array of length {@code n}. */
    long[] args(int n) {
        if (n >= args.length) return new long[n];
        long[] a = args[n];
        return a != null ? a : (args[n] = new long[n]);
    }

    /** A reusable array of at least {@code n} row numbers. */
    int[] rows(int n) {
        if (rows.length < n) rows = new int[Math.max(n, 64)];
        return rows;
    }

    /** A reusable JVM-side array of at least {@code n} bytes where batch columns are packed. */
    byte[] staging(int n) {
        if (staging.length < n) staging = new byte[Math.max(n, 1024)];
        return staging;
    }

    /**
     * A pointer to at least {@code bytes} bytes of scratch memory owned by the host, allocated
     * with the guest's {@code alloc} once and grown (freeing the old block) when too small.
     */
    int scratch(int bytes) {
        if (bytes <= scratchCap) return scratchPtr;
        if (alloc == null) throw new IllegalStateException("the module exports no alloc(i32) -> i32");
        int want = Math.max(bytes, Math.max(1024, scratchCap * 2));
        if (scratchCap > 0 && free != null) free.apply(scratchPtr, scratchCap);
        scratchCap = 0;
        long p = alloc.apply(want)[0];
        if (p <= 0 || p + want > (long) memory.pages() * Memory.PAGE_SIZE) {
            throw new IllegalStateException("alloc(" + want + ") returned " + p + ", not a block inside linear memory");
        }
        scratchPtr = (int) p;
        scratchCap = want;
        return scratchPtr;
    }
}
