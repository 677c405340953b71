package dev.strata.python.internal;

import dev.strata.core.ErrorCode;
import dev.strata.core.Messages;
import dev.strata.core.StrataException;
import dev.strata.core.memory.Sizes;
import dev.strata.core.segment.Bits;
import dev.strata.core.segment.SegmentBuilder;
import dev.strata.core.spi.ExecutionContext;
import dev.strata.core.spi.UdfBatch;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Python worker process: loads modules and evaluates batches sent by the node over stdin,
 * answering on stdout ({@link WorkerProtocol}). It runs GraalPy in its own JVM with a capped heap,
 * so a function that hangs inside a builtin or exhausts memory takes down only this process,
 * which the node kills and replaces.
 */
public final class PythonWorkerMain {
    private PythonWorkerMain() {}

    /**
     * Arguments: the node's process id (the worker exits when that process is gone, even while
     * Python spins in a builtin) and the longest string result in UTF-8 bytes.
     */
    public static void main(String[] args) throws IOException {
        if (args.length > 0) watchParent(Long.parseLong(args[0]));
        int resultMax = args.length > 1 ? Integer.parseInt(args[1]) : 1 << 20;
        DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
        System.setOut(System.err); // nothing else may write to the protocol stream
        Map<String, PythonModuleVersion> modules = new HashMap<>();
        PythonRuntime.warmUp(); // the engine and a first context: the slow part of a start, done before answering PING
        while (true) {
            byte type;
            try {
                type = in.readByte();
            } catch (EOFException e) {
                return; // the node went away
            }
            try {
                switch (type) {
                    case WorkerProtocol.PING -> out.writeByte(WorkerProtocol.OK);
                    case WorkerProtocol.LOAD -> load(in, out, modules);
                    case WorkerProtocol.CALL -> call(in, out, modules, resultMax);
                    default -> throw new IOException("unknown message type " + type);
                }
            } catch (StrataException e) {
                out.writeByte(WorkerProtocol.ERROR);
                WorkerProtocol.writeString(out, e.code().name());
                WorkerProtocol.writeString(out, Messages.cap(e.getMessage()));
            }
            out.flush();
        }
    }

    /** Ends this process as soon as the node's process is gone (kill -9 of the node included). */
    private static void watchParent(long pid) {
        ProcessHandle parent = ProcessHandle.of(pid).orElse(null);
        Thread t = new Thread(() -> {
            while (parent != null && parent.isAlive()) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
            Runtime.getRuntime().halt(0);
        }, "strata-python-parent-watch");
        t.setDaemon(true);
        t.start();
    }

    private static void load(DataInputStream in, DataOutputStream out, Map<String, PythonModuleVersion> modules) throws IOException {
        String key = WorkerProtocol.readString(in);
        long budgetMillis = in.readLong();
        String name = key.substring(0, key.indexOf('@'));
        String source = WorkerProtocol.readString(in);
        int n = in.readInt();
        Map<String, String> sigs = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) sigs.put(WorkerProtocol.readString(in), WorkerProtocol.readString(in));
        if (!modules.containsKey(key)) modules.put(key, PythonModuleVersion.load(name, source, sigs, 1, budgetMillis));
        out.writeByte(WorkerProtocol.OK);
    }

    private static void call(DataInputStream in, DataOutputStream out, Map<String, PythonModuleVersion> modules, int resultMax)
            throws IOException {
        String key = WorkerProtocol.readString(in);
        String function = WorkerProtocol.readString(in);
        long budgetMillis = in.readLong();
        int rows = in.readInt();
        PythonModuleVersion v = modules.get(key);
        if (v == null) throw new IOException("module " + key + " was not loaded");
        InProcessPythonUdf fn = new InProcessPythonUdf(v, function);
        PythonSignature sig = v.signatures().get(function);
        UdfBatch b = UdfBatch.allocate(fn.parameterKinds(), rows);
        SegmentBuilder docs = new SegmentBuilder();
        for (int i = 0; i < rows; i++) {
            String id = WorkerProtocol.readString(in);
            docs.add(id, sig.document() ? (Value.ObjectValue) Json.parse(WorkerProtocol.readString(in)) : new Value.ObjectValue(Map.of()));
        }
        for (int a = 0; a < fn.parameterKinds().size(); a++) {
            WorkerProtocol.readColumn(in, fn.parameterKinds().get(a), rows, b.longs[a], b.doubles[a], b.strings[a], b.argValid[a]);
        }
        b.segment = docs.build();
        b.context = budgetMillis > 0 ? ExecutionContext.withBudget(budgetMillis * 1_000_000) : ExecutionContext.unbounded();
        fn.evaluate(b);
        ValueKind kind = fn.resultKind();
        if (kind == ValueKind.STRING) {
            for (int i = 0; i < rows; i++) {
                String r = b.outStrings[i];
                if (r == null || !Bits.get(b.outValid, i) || (long) r.length() * 3 <= resultMax) continue;
                int bytes = r.getBytes(StandardCharsets.UTF_8).length;
                if (bytes > resultMax) {
                    throw new StrataException(ErrorCode.UDF_FAILED, PythonUdf.TIER + "('" + v.name + "." + function + "') returned a string of "
                            + Sizes.of(bytes) + " on document '" + b.segment.id(i) + "'; a result is at most " + Sizes.of(resultMax)
                            + " (setting python.result.max-bytes)");
                }
            }
        }
        int[] all = b.docs;
        out.writeByte(WorkerProtocol.RESULT);
        out.writeLong(b.context.udfStats(PythonUdf.TIER, v.name + "." + function).calls());
        WorkerProtocol.writeColumn(out, kind, b.outLongs, b.outDoubles, b.outStrings, b.outValid, all, rows);
    }
}
