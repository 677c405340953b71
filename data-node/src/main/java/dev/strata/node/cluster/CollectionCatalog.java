package dev.strata.node.cluster;

import dev.strata.core.DurableFile;
import dev.strata.core.StrataException;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.node.Node;
import dev.strata.node.storage.Collection;
import dev.strata.node.storage.Mappings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's collections as this member knows them: per name, the last create or drop it has
 * seen, with a stamp above any earlier change to that name (and the clock). A drop is kept as a
 * tombstone ({@code cluster/catalog}). Members take every newer change from each other on every
 * reconciling pass, so a member that was down while a collection was dropped drops its own copy
 * when it comes back instead of bringing the collection back, and one that missed a drop and a
 * create of the same name replaces its old collection with the new one.
 */
final class CollectionCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(CollectionCatalog.class);
    private final Node node;
    private final Path file;
    private final TreeMap<String, Entry> entries; // guarded by this

    /** One change to a collection: created with {@code mappings} (JSON) and a field limit, or dropped (mappings null). */
    record Entry(String name, long stamp, String mappings, int maxFields) implements Serializable {
        boolean live() { return mappings != null; }

        boolean newerThan(Entry other) {
            if (other == null || stamp != other.stamp) return other == null || stamp > other.stamp;
            return order().compareTo(other.order()) > 0; // the same stamp from two members: any fixed order, the same everywhere
        }

        private String order() { return (mappings == null ? "" : mappings) + " " + maxFields; }
    }

    CollectionCatalog(Node node, Path file) {
        this.node = node;
        this.file = file;
        this.entries = read(file);
    }

    /** A new change to {@code name}, stamped after every change to it seen here; not applied yet. */
    synchronized Entry next(String name, String mappings, int maxFields) {
        Entry e = entries.get(name);
        return new Entry(name, Math.max(System.currentTimeMillis(), e == null ? 0 : e.stamp() + 1), mappings, maxFields);
    }

    /** Creates a collection here, as a new change (the caller sends it to the other members). */
    synchronized Entry create(String name, Mappings mappings, int maxFields) {
        Collection c = node.create(name, mappings, maxFields);
        Entry e = next(name, Json.write(mappings.toJson()), c.fields().max());
        entries.put(name, e);
        write();
        return e;
    }

    /**
     * Applies a change another member made (or this member's own drop), unless a newer one is known
     * here: creates the collection, drops it, or replaces an older incarnation of it. True when applied.
     */
    synchronized boolean apply(Entry e, Runnable forgetPartitions) {
        Entry mine = known(e.name());
        if (!e.newerThan(mine)) return false;
        if (node.collectionNames().contains(e.name())) { // dropped, or an older incarnation of the name
            node.drop(e.name());
            forgetPartitions.run();
            if (e.live()) LOG.info("replaced collection {}: it was dropped and created again while this member was away", e.name());
        }
        if (e.live()) node.create(e.name(), Mappings.parse((Value.ObjectValue) Json.parse(e.mappings())), e.maxFields());
        entries.put(e.name(), e);
        write();
        return true;
    }

    /** Every change known here, a collection this member has but no change recorded for counting as created at stamp 0. */
    synchronized TreeMap<String, Entry> all() {
        TreeMap<String, Entry> out = new TreeMap<>(entries);
        for (String name : node.collectionNames()) if (!out.containsKey(name)) {
            Entry e = known(name);
            if (e != null) out.put(name, e);
        }
        return out;
    }

    /** The change recorded for {@code name}, or for a collection here without one, its creation at stamp 0. */
    private Entry known(String name) {
        Entry e = entries.get(name);
        if (e != null || !node.collectionNames().contains(name)) return e;
        try {
            Collection c = node.collection(name);
            return new Entry(name, 0, Json.write(c.mappings().toJson()), c.fields().max());
        } catch (StrataException unopened) {
            return null; // its files could not be opened: nothing to offer
        }
    }

    private static TreeMap<String, Entry> read(Path file) {
        if (!Files.exists(file)) return new TreeMap<>();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            TreeMap<String, Entry> out = new TreeMap<>();
            for (Object o : (Object[]) in.readObject()) out.put(((Entry) o).name(), (Entry) o);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cluster catalog " + file, e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cannot read the cluster catalog " + file, e);
        }
    }

    private void write() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(entries.values().toArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DurableFile.replace(file, bytes.toByteArray(), "the cluster catalog");
    }

    /** The newest change per name among several members' catalogs. */
    static TreeMap<String, Entry> newest(Iterable<TreeMap<String, Entry>> catalogs) {
        TreeMap<String, Entry> out = new TreeMap<>();
        for (Map<String, Entry> c : catalogs) for (Entry e : c.values()) if (e.newerThan(out.get(e.name()))) out.put(e.name(), e);
        return out;
    }
}
