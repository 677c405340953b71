package dev.strata.python.internal;

import dev.strata.core.segment.Bits;
import dev.strata.core.value.ValueKind;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The binary protocol between the node and a Python worker process, over the worker's stdin and
 * stdout. Every message is one byte of type and a body in {@link DataOutputStream} encoding
 * (big-endian numbers, strings as a length and UTF-8 bytes). Columns travel as a validity bitset
 * and primitive values, never as text.
 *
 * <pre>
 * node → worker   LOAD  key, budgetMillis, source, n, (function, signature)*   → OK | ERROR
 *                 CALL  key, function, budgetMillis, rows, columns                → RESULT | ERROR
 *                 PING                                                            → OK
 * worker → node   OK | ERROR code, message | RESULT calls, validity, values
 * </pre>
 *
 * The worker answers the first PING once its engine is up and a first context has run, so a
 * worker that answered is ready: module loads and calls after it pay no start-up cost. A string
 * longer than the reader's limit ends the conversation (the reader treats the worker as broken),
 * so a worker can never make the node allocate more than that limit for one string.
 */
final class WorkerProtocol {
    static final byte LOAD = 'L', CALL = 'C', PING = 'P', OK = 'O', ERROR = 'E', RESULT = 'R';

    private WorkerProtocol() {}

    static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /** The longest string either side reads by default: source text and error messages. */
    static final int MAX_STRING = 64 << 20;

    static String readString(DataInputStream in) throws IOException { return readString(in, MAX_STRING); }

    /** Reads a string of at most {@code max} UTF-8 bytes; a longer one is a broken stream (IOException). */
    static String readString(DataInputStream in, int max) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > max) throw new IOException("a string of " + n + " bytes in the worker protocol, over the limit of " + max);
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Writes rows {@code rows[0..n)} of a column of {@code kind}, with their validity. */
    static void writeColumn(DataOutputStream out, ValueKind kind, long[] longs, double[] doubles, String[] strings, long[] valid,
                            int[] rows, int n) throws IOException {
        long[] bits = new long[Bits.words(n)];
        for (int j = 0; j < n; j++) if (Bits.get(valid, rows[j])) bits[j >>> 6] |= 1L << j;
        for (long w : bits) out.writeLong(w);
        for (int j = 0; j < n; j++) {
            boolean present = Bits.get(bits, j);
            switch (kind) {
                case INT, BOOL -> out.writeLong(present ? longs[rows[j]] : 0);
                case FLOAT -> out.writeDouble(present ? doubles[rows[j]] : 0);
                case STRING -> writeString(out, present ? strings[rows[j]] : "");
                default -> throw new IllegalArgumentException("no column of " + kind);
            }
        }
    }

    /** Reads a column written by {@link #writeColumn} into argument {@code a} (or the result) of {@code b}. */
    static void readColumn(DataInputStream in, ValueKind kind, int n, long[] longs, double[] doubles, String[] strings, long[] valid)
            throws IOException {
        readColumn(in, kind, n, longs, doubles, strings, valid, MAX_STRING);
    }

    /** As above, with string values of at most {@code maxString} bytes. */
    static void readColumn(DataInputStream in, ValueKind kind, int n, long[] longs, double[] doubles, String[] strings, long[] valid,
                           int maxString) throws IOException {
        for (int w = 0; w < Bits.words(n); w++) valid[w] = in.readLong();
        for (int j = 0; j < n; j++) {
            switch (kind) {
                case INT, BOOL -> longs[j] = in.readLong();
                case FLOAT -> doubles[j] = in.readDouble();
                case STRING -> strings[j] = readString(in, maxString);
                default -> throw new IllegalArgumentException("no column of " + kind);
            }
        }
    }
}
