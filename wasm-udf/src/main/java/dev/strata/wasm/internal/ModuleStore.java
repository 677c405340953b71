package dev.strata.wasm.internal;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Modules on disk, so they survive a restart: each binary once under {@code blobs/<sha256>.wasm}
 * (content-addressed), and {@code modules.json} naming the current version of each module with its
 * metadata. The manifest is replaced atomically (write, fsync, rename, fsync the directory), so a
 * crash leaves either the old set or the new one; blobs no manifest names are deleted afterwards.
 */
public final class ModuleStore {
    /** What the manifest keeps about one module version. */
    public record Entry(String name, String sha256, String format, String version, String description, String registeredAt,
                        boolean wasi, Map<String, String> signatures) {
        public Entry {
            signatures = Map.copyOf(signatures);
        }
    }

    private final Path dir;

    public ModuleStore(Path dir) { this.dir = dir; }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The manifest's entries (empty when nothing was stored yet). */
    public List<Entry> entries() {
        Path m = dir.resolve("modules.json");
        if (!Files.exists(m)) return List.of();
        try {
            Value v = Json.parse(Files.readString(m, StandardCharsets.UTF_8));
            List<Entry> out = new ArrayList<>();
            for (Value e : ((Value.ArrayValue) ((Value.ObjectValue) v).fields().get("modules")).elements()) {
                Map<String, Value> f = ((Value.ObjectValue) e).fields();
                Map<String, String> sigs = new LinkedHashMap<>();
                ((Value.ObjectValue) f.get("signatures")).fields().forEach((k, s) -> sigs.put(k, str(s)));
                out.add(new Entry(str(f.get("name")), str(f.get("sha256")), str(f.get("format")), str(f.get("version")),
                        str(f.get("description")), str(f.get("registeredAt")), f.get("wasi") == Value.TRUE, sigs));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + m, e);
        }
    }

    private static String str(Value v) { return v instanceof Value.StringValue s ? s.value() : ""; }

    public byte[] blob(String sha256) {
        try {
            return Files.readAllBytes(dir.resolve("blobs").resolve(sha256 + ".wasm"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the stored module " + sha256, e);
        }
    }

    /** Stores the bytes under their digest (once) and makes {@code entries} the manifest. */
    public void save(byte[] bytes, String sha256, List<Entry> entries) {
        try {
            Path blobs = Files.createDirectories(dir.resolve("blobs"));
            if (bytes != null) {
                Path b = blobs.resolve(sha256 + ".wasm");
                if (!Files.exists(b)) writeDurably(b, bytes);
            }
            List<Value> list = new ArrayList<>();
            for (Entry e : entries) {
                Map<String, Value> f = new LinkedHashMap<>();
                f.put("name", Value.of(e.name()));
                f.put("sha256", Value.of(e.sha256()));
                f.put("format", Value.of(e.format()));
                f.put("version", Value.of(e.version()));
                f.put("description", Value.of(e.description()));
                f.put("registeredAt", Value.of(e.registeredAt()));
                f.put("wasi", Value.of(e.wasi()));
                Map<String, Value> sigs = new LinkedHashMap<>();
                e.signatures().forEach((k, s) -> sigs.put(k, Value.of(s)));
                f.put("signatures", new Value.ObjectValue(sigs));
                list.add(new Value.ObjectValue(f));
            }
            String json = Json.write(new Value.ObjectValue(Map.of("abi", Value.of((long) HostApi.VERSION), "modules", new Value.ArrayValue(list))));
            writeDurably(dir.resolve("modules.json"), json.getBytes(StandardCharsets.UTF_8));
            Set<String> keep = new HashSet<>();
            for (Entry e : entries) keep.add(e.sha256() + ".wasm");
            try (var s = Files.list(blobs)) {
                for (Path p : s.toList()) if (!keep.contains(p.getFileName().toString())) Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store WASM modules under " + dir, e);
        }
    }

    private static void writeDurably(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
