package dev.strata.wasm.internal;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures what a WASI module writes to stdout and stderr, keeping at most {@code limit} bytes
 * (the newest); the rest is counted and dropped, so a chatty module cannot fill the heap.
 */
final class BoundedOutput extends OutputStream {
    private final byte[] ring;
    private long written;

    BoundedOutput(int limit) { this.ring = new byte[Math.max(1, limit)]; }

    @Override
    public synchronized void write(int b) {
        ring[(int) (written++ % ring.length)] = (byte) b;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) write(b[off + i]);
    }

    /** The last bytes written (up to the limit), as text; empty when nothing was written. */
    synchronized String tail(int max) {
        int n = (int) Math.min(Math.min(written, ring.length), max);
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) out[i] = ring[(int) ((written - n + i) % ring.length)];
        return new String(out, StandardCharsets.UTF_8);
    }

    synchronized long written() { return written; }
}
