package dev.strata.bench;

import dev.strata.node.Node;
import dev.strata.node.storage.Collection;
import dev.strata.node.storage.Mappings;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** How the in-process bench commands fill a collection: bulks of 10,000, a segment every {@code perSegment} documents. */
final class BenchCollections {
    private static final int BULK = 10_000;

    private BenchCollections() {}

    /**
     * Creates collection {@code c} holding documents {@code doc(0..n)}, refreshed after every
     * {@code perSegment} of them (0: once at the end, one segment) and at the end.
     */
    static Collection load(Node node, int n, int perSegment, IntFunction<Collection.Document> doc) {
        Collection c = node.create("c", Mappings.NONE);
        for (int from = 0; from < n; from += BULK) {
            List<Collection.Document> docs = new ArrayList<>(BULK);
            for (int i = from; i < Math.min(n, from + BULK); i++) docs.add(doc.apply(i));
            c.putAll(docs);
            if (perSegment > 0 && (from + BULK) % perSegment == 0) c.refresh();
        }
        c.refresh();
        return c;
    }
}
