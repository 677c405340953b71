package dev.strata.core.udf;

import dev.strata.core.DurableFile;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * A UDF tier's modules on disk, so they survive a restart: each module's bytes once under
 * {@code blobs/<sha256><extension>} (content-addressed), and {@code modules.json} naming the
 * current version of each module with its metadata. The manifest is replaced atomically (write, fsync, rename, fsync the directory), so a
 * crash leaves either the old set or the new one; blobs no manifest names are deleted afterwards.
 */
public final class ModuleStore {
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    /** What the manifest keeps about one module version. */
    public record Entry(String name, String sha256, String format, String version, String description, String registeredAt,
                        Map<String, String> options, Map<String, String> signatures) {
        public Entry {
            options = Map.copyOf(options);
            signatures = Map.copyOf(signatures);
        }

        /** Whether the option {@code name} is "true". */
        public boolean flag(String name) { return "true".equals(options.get(name)); }
    }

    private final Path dir;
    private final String extension;

    /** A store in {@code dir} whose blobs end with {@code extension} (".wasm", ".py"). */
    public ModuleStore(Path dir, String extension) {
        this.dir = dir;
        this.extension = extension;
    }

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
                out.add(new Entry(str(f.get("name")), str(f.get("sha256")), str(f.get("format")), str(f.get("version")),
                        str(f.get("description")), str(f.get("registeredAt")), strings(f.get("options")), strings(f.get("signatures"))));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + m, e);
        }
    }

    private static String str(Value v) { return v instanceof Value.StringValue s ? s.value() : ""; }

    private static Map<String, String> strings(Value v) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v instanceof Value.ObjectValue o) o.fields().forEach((k, x) -> out.put(k, str(x)));
        return out;
    }

    private static Value.ObjectValue object(Map<String, String> m) {
        Map<String, Value> f = new LinkedHashMap<>();
        m.forEach((k, x) -> f.put(k, Value.of(x)));
        return new Value.ObjectValue(f);
    }

    public byte[] blob(String sha256) {
        try {
            return Files.readAllBytes(dir.resolve("blobs").resolve(sha256 + extension));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the stored module " + sha256, e);
        }
    }

    /** Why {@code name} cannot name a module, or null when it can: 1 to 64 letters, digits and _, not starting with a digit. */
    public static String nameProblem(String name) {
        return NAME.matcher(name).matches() ? null
                : "the name '" + name + "' is not valid: use 1 to 64 letters, digits and _, not starting with a digit";
    }

    /** Stores {@code bytes} under their digest (once) and makes {@code entry} its name's current version in the manifest. */
    public void put(Entry entry, byte[] bytes) {
        List<Entry> entries = new ArrayList<>();
        for (Entry e : entries()) if (!e.name().equals(entry.name())) entries.add(e);
        entries.add(entry);
        save(bytes, entry.sha256(), entries);
    }

    /** Drops {@code name} from the manifest (and its bytes, unless another entry shares them). */
    public void remove(String name) {
        List<Entry> entries = new ArrayList<>();
        for (Entry e : entries()) if (!e.name().equals(name)) entries.add(e);
        save(null, null, entries);
    }

    private void save(byte[] bytes, String sha256, List<Entry> entries) {
        try {
            Path blobs = Files.createDirectories(dir.resolve("blobs"));
            if (bytes != null) {
                Path b = blobs.resolve(sha256 + extension);
                if (!Files.exists(b)) DurableFile.replace(b, bytes, "UDF module");
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
                f.put("options", object(e.options()));
                f.put("signatures", object(e.signatures()));
                list.add(new Value.ObjectValue(f));
            }
            String json = Json.write(new Value.ObjectValue(Map.of("format", Value.of(1L), "modules", new Value.ArrayValue(list))));
            DurableFile.replace(dir.resolve("modules.json"), json.getBytes(StandardCharsets.UTF_8), "UDF module catalog");
            Set<String> keep = new HashSet<>();
            for (Entry e : entries) keep.add(e.sha256() + extension);
            try (var s = Files.list(blobs)) {
                for (Path p : s.toList()) if (!keep.contains(p.getFileName().toString())) Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store modules under " + dir, e);
        }
    }
}
