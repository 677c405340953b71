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
 * node → worker   LOAD  key, source, n, (function, signature)*       → OK | ERROR
 *                 CALL  key, function, budgetMillis, rows, columns     → RESULT | ERROR
 *                 PING                                                 → OK
 * worker → node   OK | ERROR code, message, row | RESULT kind, rows, validity, values
 * </pre>
 */
final class WorkerProtocol {
    static final byte LOAD = 'L', CALL = 'C', PING = 'P', OK = 'O', ERROR = 'E', RESULT = 'R';

    private WorkerProtocol() {}

    static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String readString(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
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
        for (int w = 0; w < Bits.words(n); w++) valid[w] = in.readLong();
        for (int j = 0; j < n; j++) {
            switch (kind) {
                case INT, BOOL -> longs[j] = in.readLong();
                case FLOAT -> doubles[j] = in.readDouble();
                case STRING -> strings[j] = readString(in);
                default -> throw new IllegalArgumentException("no column of " + kind);
            }
        }
    }
}
