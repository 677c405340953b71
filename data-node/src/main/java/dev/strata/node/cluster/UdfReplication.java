package dev.strata.node.cluster;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.spi.UdfModuleInfo;
import dev.strata.core.spi.UdfModuleSource;
import dev.strata.node.Node;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * UDF modules across the cluster. A module registered, replaced or unloaded on one member is
 * compiled there first (a bad module fails there, once), then sent to every other member, which
 * swaps it in with the tier's own atomic version swap. Each member keeps the sources it took
 * ({@code cluster/udfs}, content-addressed by a SHA-256 of the whole source), so a member that
 * joins later, or comes back, takes the oldest member's set (missing and changed modules
 * registered, extra ones unloaded) before it answers for any partition.
 */
public final class UdfReplication {
    private final Node node;
    private final ClusterFabric fabric;
    private final Path dir;
    private volatile TreeMap<String, String> digests; // of the kept modules; read by every distributed query

    /** A module's source as it travels and as it is kept: tier, source fields, and its digest. */
    record Module(String tier, String name, byte[] content, String format, String version, String description,
                  Map<String, String> signatures, Map<String, String> options) implements Serializable {
        UdfModuleSource source() { return new UdfModuleSource(name, content, format, version, description, signatures, options); }

        String key() { return tier + "." + name; }

        String digest() {
            try {
                MessageDigest d = MessageDigest.getInstance("SHA-256");
                d.update(bytes(this));
                return HexFormat.of().formatHex(d.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        static Module of(String tier, UdfModuleSource s) {
            return new Module(tier, s.name(), s.content(), s.format(), s.version(), s.description(),
                    new TreeMap<>(s.signatures()), new TreeMap<>(s.options()));
        }
    }

    UdfReplication(Node node, ClusterFabric fabric, Path dir) {
        this.node = node;
        this.fabric = fabric;
        this.dir = dir;
        this.digests = readDigests();
    }

    /** Registers a module here, then on every other member; the answer is this member's. */
    public UdfModuleInfo register(String tier, UdfModuleSource source) {
        Module m = Module.of(tier, source);
        UdfModuleInfo info = apply(m);
        fabric.runOnMembers(new Replicate(fabric.localMember().id(), m, null, null));
        return info;
    }

    /** Unloads a module here and on every other member; false if there was none here. */
    public boolean unload(String tier, String name) {
        if (!unloadHere(tier, name)) return false;
        fabric.runOnMembers(new Replicate(fabric.localMember().id(), null, tier, name));
        return true;
    }

    UdfModuleInfo apply(Module m) {
        UdfModuleInfo info = node.queries().tiers().modules(m.tier()).register(m.source());
        node.queries().udfModulesChanged();
        write(m);
        digests = readDigests();
        return info;
    }

    boolean unloadHere(String tier, String name) {
        boolean had = node.queries().tiers().modules(tier).unload(name);
        node.queries().udfModulesChanged();
        try {
            Files.deleteIfExists(dir.resolve(tier + "." + name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        digests = readDigests();
        return had;
    }

    /**
     * The modules this member keeps, by tier.name, with their digests. A distributed query carries
     * the asked member's, and a member whose differ (a replacement still on its way) answers
     * UNAVAILABLE, so no answer mixes two versions of a module.
     */
    public TreeMap<String, String> digests() { return digests; }

    private TreeMap<String, String> readDigests() {
        TreeMap<String, String> out = new TreeMap<>();
        for (Module m : kept().values()) out.put(m.key(), m.digest());
        return out;
    }

    Module kept(String key) { return kept().get(key); }

    private Map<String, Module> kept() {
        Map<String, Module> out = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) return out;
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().endsWith(".tmp")).sorted().toList()) {
                try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Files.readAllBytes(f)))) {
                    Module m = (Module) in.readObject();
                    out.put(m.key(), m);
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("cannot read the kept UDF module " + f, e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private void write(Module m) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(m.key() + ".tmp");
            Files.write(tmp, bytes(m));
            Files.move(tmp, dir.resolve(m.key()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(Module m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(out)) {
            o.writeObject(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Takes the oldest member's modules: registers those missing or different here, unloads those it does not have. */
    boolean takeFromOldest() {
        ClusterMember oldest = fabric.members().get(0);
        if (oldest.id().equals(fabric.localMember().id())) return true;
        TreeMap<String, String> theirs = fabric.runOn(oldest, new Digests());
        TreeMap<String, String> mine = digests();
        for (var e : theirs.entrySet()) {
            if (e.getValue().equals(mine.get(e.getKey()))) continue;
            Module m = fabric.runOn(oldest, new Fetch(e.getKey()));
            if (m != null) apply(m);
        }
        Map<String, Module> kept = new HashMap<>(kept());
        for (String key : mine.keySet()) {
            if (!theirs.containsKey(key)) unloadHere(kept.get(key).tier(), kept.get(key).name());
        }
        return true;
    }

    private static UdfReplication of(MemberContext m) {
        PartitionedStore s = m.service(PartitionedStore.class);
        if (s == null) throw new StrataException(ErrorCode.UNAVAILABLE, "member " + m.member().address() + " is still starting; retry");
        return s.udfs();
    }

    /** To every member but the origin: register {@code module}, or unload {@code tier}.{@code name} when it is null. */
    record Replicate(String origin, Module module, String tier, String name) implements ClusterTask<Boolean> {
        @Override
        public Boolean run(MemberContext m) {
            if (m.member().id().equals(origin)) return true;
            UdfReplication r = of(m);
            if (module != null) r.apply(module);
            else r.unloadHere(tier, name);
            return true;
        }

        @Override
        public boolean leaf() { return true; }
    }

    record Digests() implements ClusterTask<TreeMap<String, String>> {
        @Override
        public TreeMap<String, String> run(MemberContext m) { return of(m).digests(); }

        @Override
        public boolean leaf() { return true; }
    }

    record Fetch(String key) implements ClusterTask<Module> {
        @Override
        public Module run(MemberContext m) { return of(m).kept(key); }

        @Override
        public boolean leaf() { return true; }
    }
}
