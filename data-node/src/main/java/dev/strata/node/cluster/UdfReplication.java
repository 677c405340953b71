package dev.strata.node.cluster;

import dev.strata.core.DurableFile;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * UDF modules across the cluster. A module registered, replaced or unloaded on one member is
 * compiled there first (a bad module fails there, once), then sent to every other member, which
 * swaps it in with the tier's own atomic version swap.
 *
 * <p>Every change carries a stamp, greater than the stamp of any change to that module this
 * member has seen (and than the wall clock), and an unload is kept as a tombstone. Each member
 * keeps the newest change per module it has seen ({@code cluster/udfs}), and on every
 * reconciling pass asks every other member for theirs and takes any that is newer. So a member
 * that joins, or comes back after missing changes, ends with the same modules as the others
 * before it answers, and two members changing one module at once agree on the same last change
 * (the higher stamp, then the higher digest). Nothing is ever taken back because another member
 * has not heard of it yet.
 */
public final class UdfReplication {
    private final Node node;
    private final ClusterFabric fabric;
    private final Path dir;
    private final Map<String, Kept> kept; // by tier.name; guarded by this
    private volatile TreeMap<String, String> digests; // of the live kept modules; read by every distributed query
    /** The digests while a tier swaps a module: equal to no member's, so no query runs across the swap. */
    private static final TreeMap<String, String> CHANGING = new TreeMap<>(Map.of("", "a module is being changed here"));

    /** One change to a module as it travels and as it is kept: a source to register, or (content null) an unload. */
    record Module(String tier, String name, byte[] content, String format, String version, String description,
                  Map<String, String> signatures, Map<String, String> options, long stamp) implements Serializable {
        UdfModuleSource source() { return new UdfModuleSource(name, content, format, version, description, signatures, options); }

        String key() { return tier + "." + name; }

        boolean live() { return content != null; }

        static Module of(String tier, UdfModuleSource s, long stamp) {
            return new Module(tier, s.name(), s.content(), s.format(), s.version(), s.description(),
                    new TreeMap<>(s.signatures()), new TreeMap<>(s.options()), stamp);
        }

        static Module unloaded(String tier, String name, long stamp) {
            return new Module(tier, name, null, null, null, null, Map.of(), Map.of(), stamp);
        }
    }

    /** Which change a member keeps for a module: its stamp and the digest of the whole change. */
    record Change(long stamp, String digest) implements Serializable {
        boolean newerThan(Change other) {
            return other == null || stamp > other.stamp || (stamp == other.stamp && digest.compareTo(other.digest) > 0);
        }
    }

    private record Kept(Module module, Change change) {}

    UdfReplication(Node node, ClusterFabric fabric, Path dir) {
        this.node = node;
        this.fabric = fabric;
        this.dir = dir;
        this.kept = read(dir);
        this.digests = liveDigests();
    }

    /** Registers a module here, then on every other member; the answer is this member's. */
    public UdfModuleInfo register(String tier, UdfModuleSource source) {
        Module m;
        UdfModuleInfo info;
        synchronized (this) {
            m = Module.of(tier, source, nextStamp(tier + "." + source.name()));
            info = swapping(() -> {
                UdfModuleInfo i = node.queries().tiers().modules(tier).register(m.source()); // a bad module fails here, before it is kept
                keep(m);
                return i;
            });
        }
        node.queries().udfModulesChanged();
        fabric.runOnMembers(new Replicate(fabric.localMember().id(), m));
        return info;
    }

    /** Unloads a module here and on every other member; false if there was none here. */
    public boolean unload(String tier, String name) {
        Module m;
        synchronized (this) {
            Kept k = kept.get(tier + "." + name);
            m = Module.unloaded(tier, name, nextStamp(tier + "." + name));
            boolean had = swapping(() -> {
                if (!node.queries().tiers().modules(tier).unload(name) && (k == null || !k.module().live())) return false;
                keep(m);
                return true;
            });
            if (!had) return false;
        }
        node.queries().udfModulesChanged();
        fabric.runOnMembers(new Replicate(fabric.localMember().id(), m));
        return true;
    }

    private long nextStamp(String key) {
        Kept k = kept.get(key);
        return Math.max(System.currentTimeMillis(), k == null ? 0 : k.module().stamp() + 1);
    }

    /** Applies a change another member made, unless this member already keeps a newer one. */
    void accept(Module m) {
        synchronized (this) {
            Kept k = kept.get(m.key());
            if (!change(m).newerThan(k == null ? null : k.change())) return;
            swapping(() -> {
                if (m.live()) node.queries().tiers().modules(m.tier()).register(m.source());
                else node.queries().tiers().modules(m.tier()).unload(m.name());
                keep(m);
                return null;
            });
        }
        node.queries().udfModulesChanged();
    }

    /** Runs a tier's swap with the digests reading "changing" until it is done (or failed). Caller holds this. */
    private <T> T swapping(java.util.function.Supplier<T> swap) {
        digests = CHANGING;
        try {
            return swap.get();
        } finally {
            digests = liveDigests();
        }
    }

    /** Caller holds this, inside {@link #swapping}. */
    private void keep(Module m) {
        write(m);
        kept.put(m.key(), new Kept(m, change(m)));
    }

    /**
     * The live modules this member keeps, by tier.name, with their digests. A distributed query
     * carries the asked member's, and a member whose differ (a change still on its way) answers
     * UNAVAILABLE, so no answer mixes two versions of a module.
     */
    public TreeMap<String, String> digests() { return digests; }

    /** True while a tier swaps a module here. */
    public boolean changing() { return digests == CHANGING; }

    private TreeMap<String, String> liveDigests() {
        TreeMap<String, String> out = new TreeMap<>();
        synchronized (this) {
            for (Kept k : kept.values()) if (k.module().live()) out.put(k.module().key(), k.change().digest());
        }
        return out;
    }

    private synchronized TreeMap<String, Change> changes() {
        TreeMap<String, Change> out = new TreeMap<>();
        for (var e : kept.entrySet()) out.put(e.getKey(), e.getValue().change());
        return out;
    }

    private synchronized Module kept(String key) {
        Kept k = kept.get(key);
        return k == null ? null : k.module();
    }

    /** Takes from every other member each change newer than the one kept here. True when done. */
    boolean takeNewer() {
        String me = fabric.localMember().id();
        for (var e : fabric.runOnMembers(new Changes()).entrySet()) {
            if (e.getKey().id().equals(me)) continue;
            TreeMap<String, Change> mine = changes();
            for (var c : e.getValue().entrySet()) {
                if (!c.getValue().newerThan(mine.get(c.getKey()))) continue;
                Module m = fabric.runOn(e.getKey(), new Fetch(c.getKey()));
                if (m != null) accept(m);
            }
        }
        return true;
    }

    private static Change change(Module m) {
        try {
            return new Change(m.stamp(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes(m))));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Kept> read(Path dir) {
        Map<String, Kept> out = new HashMap<>();
        if (!Files.isDirectory(dir)) return out;
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().endsWith(".tmp")).toList()) {
                try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Files.readAllBytes(f)))) {
                    Module m = (Module) in.readObject();
                    out.put(m.key(), new Kept(m, change(m)));
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("cannot read the kept UDF module " + f, e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private void write(Module m) { DurableFile.replace(dir.resolve(m.key()), bytes(m), "the kept UDF module"); }

    private static byte[] bytes(Module m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(out)) {
            o.writeObject(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static UdfReplication of(MemberContext m) {
        PartitionedStore s = m.service(PartitionedStore.class);
        if (s == null) throw new StrataException(ErrorCode.UNAVAILABLE, "member " + m.member().address() + " is still starting; retry");
        return s.udfs();
    }

    /** To every member but the origin: apply {@code module}, a registration or an unload. */
    record Replicate(String origin, Module module) implements ClusterTask<Boolean> {
        @Override
        public Boolean run(MemberContext m) {
            if (!m.member().id().equals(origin)) of(m).accept(module);
            return true;
        }

        @Override
        public boolean leaf() { return true; }
    }

    record Changes() implements ClusterTask<TreeMap<String, Change>> {
        @Override
        public TreeMap<String, Change> run(MemberContext m) { return of(m).changes(); }

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
