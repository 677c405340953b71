package dev.strata.wasm.internal;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A bounded pool of instances of one module version.
 *
 * <p>Fast path: a thread first tries the slot it used last, so a thread that calls repeatedly takes
 * the same idle instance with one uncontended compare-and-set. When every live instance is busy
 * and the pool is below its cap, a new instance is made; at the cap, the borrower waits until the
 * deadline. An
 * instance that trapped or was interrupted is never returned: its slot is emptied and refilled
 * later. After {@link #retire}, returned instances are dropped instead of kept.
 */
final class InstancePool {
    private final AtomicReferenceArray<GuestInstance> slots;
    private final AtomicInteger live = new AtomicInteger();
    private final Supplier<GuestInstance> factory;
    private final AtomicInteger discarded = new AtomicInteger();
    private volatile boolean retired;
    /** The slot each thread used last; holds no reference to the pool or its instances. */
    private final ThreadLocal<int[]> lastSlot = ThreadLocal.withInitial(() -> new int[] {-1});

    private final Runnable onDiscard;

    /** @param onDiscard called after an instance was thrown away (a trap), so a replacement can be made ahead of need */
    InstancePool(int cap, Supplier<GuestInstance> factory, Runnable onDiscard) {
        this.slots = new AtomicReferenceArray<>(cap);
        this.factory = factory;
        this.onDiscard = onDiscard;
    }

    int capacity() { return slots.length(); }

    /** Makes {@code n} instances ahead of the first query. */
    void warm(int n) {
        GuestInstance[] got = new GuestInstance[Math.min(n, capacity())];
        for (int i = 0; i < got.length; i++) got[i] = borrow(Long.MAX_VALUE);
        for (GuestInstance g : got) release(g);
    }

    /**
     * An instance for the calling thread's exclusive use until {@link #release}. A thread goes back
     * to the slot it used last; when that instance is taken it makes its own (below the cap)
     * rather than take another thread's, so two busy threads settle on two instances instead of
     * passing one back and forth between cores.
     */
    GuestInstance borrow(long deadlineNanos) {
        int[] mine = lastSlot.get();
        int s = mine[0];
        if (s >= 0) {
            GuestInstance g = slots.get(s);
            if (g != null && g.state.get() == GuestInstance.IDLE && g.state.compareAndSet(GuestInstance.IDLE, GuestInstance.BUSY)) {
                return g;
            }
            if (!retired) {
                GuestInstance made = grow(home());
                if (made != null) {
                    mine[0] = made.slot;
                    return made;
                }
            }
        }
        int cap = slots.length();
        int home = home();
        long waited = 0;
        while (true) {
            for (int k = 0; k < cap; k++) {
                int i = home + k < cap ? home + k : home + k - cap;
                GuestInstance g = slots.get(i);
                if (g != null && g.state.get() == GuestInstance.IDLE && g.state.compareAndSet(GuestInstance.IDLE, GuestInstance.BUSY)) {
                    mine[0] = i;
                    return g;
                }
            }
            if (retired) return factory.get(); // a run that started on a retired version finishes on throwaway instances
            GuestInstance made = grow(home);
            if (made != null) {
                mine[0] = made.slot;
                return made;
            }
            if (System.nanoTime() - deadlineNanos > 0 || waited > 30_000_000_000L) {
                throw new StrataException(ErrorCode.UNAVAILABLE, "all " + cap
                        + " instances of the module are busy; raise wasm.pool.max-instances or retry");
            }
            LockSupport.parkNanos(50_000);
            waited += 50_000;
        }
    }

    private int home() { return (int) (Thread.currentThread().threadId() % slots.length()); }

    /** Makes an instance into an empty slot (nearest the home slot), or returns null at the cap. */
    private GuestInstance grow(int home) {
        int cap = slots.length();
        while (true) {
            int n = live.get();
            if (n >= cap) return null;
            if (live.compareAndSet(n, n + 1)) break;
        }
        GuestInstance g;
        try {
            g = factory.get();
        } catch (RuntimeException | Error e) {
            live.decrementAndGet();
            throw e;
        }
        for (int k = 0; k < cap; k++) {
            int i = home + k < cap ? home + k : home + k - cap;
            if (slots.compareAndSet(i, null, g)) {
                g.slot = i;
                return g;
            }
        }
        live.decrementAndGet(); // cannot happen while live counts slots; keep the books straight anyway
        return g;
    }

    /** Gives an instance back; a broken one, or any after {@link #retire}, is dropped. */
    void release(GuestInstance g) {
        if (g.slot < 0) return; // a throwaway instance
        if (g.broken || retired) {
            if (slots.compareAndSet(g.slot, g, null)) live.decrementAndGet();
            if (g.broken) {
                discarded.incrementAndGet();
                if (!retired) onDiscard.run();
            }
            return;
        }
        g.state.set(GuestInstance.IDLE);
    }

    /** Drops idle instances and makes the pool drop the busy ones when they come back. */
    void retire() {
        retired = true;
        for (int i = 0; i < slots.length(); i++) {
            GuestInstance g = slots.get(i);
            if (g != null && g.state.compareAndSet(GuestInstance.IDLE, GuestInstance.BUSY) && slots.compareAndSet(i, g, null)) {
                live.decrementAndGet();
            }
        }
    }

    int live() { return live.get(); }

    int busy() {
        int n = 0;
        for (int i = 0; i < slots.length(); i++) {
            GuestInstance g = slots.get(i);
            if (g != null && g.state.get() == GuestInstance.BUSY) n++;
        }
        return n;
    }

    /** Instances dropped after a trap or an interruption. */
    int discarded() { return discarded.get(); }
}
