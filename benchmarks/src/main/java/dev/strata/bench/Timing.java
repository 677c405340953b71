package dev.strata.bench;

import java.util.Arrays;

/** How the bench commands time a query: warm it up until the JIT has compiled the loops, then take a median. */
public final class Timing {
    private Timing() {}

    /** Something timed; a failure (a wrong count) fails the bench. */
    public interface Timed { void run() throws Exception; }

    /** At least {@code warmups} warm-up runs and {@code warmSeconds} seconds of them, then the median of {@code runs} runs, in milliseconds. */
    public static double medianMillis(int warmups, double warmSeconds, int runs, Timed t) throws Exception {
        long warmUntil = System.nanoTime() + (long) (warmSeconds * 1e9);
        for (int i = 0; i < warmups || System.nanoTime() < warmUntil; i++) t.run();
        double[] ms = new double[runs];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            t.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[ms.length / 2];
    }
}
