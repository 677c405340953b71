package dev.strata.bench;

import dev.strata.core.segment.Segment;
import dev.strata.core.segment.SegmentBuilder;
import dev.strata.core.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The benchmark data set of the foundation issue: price (float 1-200), qty (int 1-10), category
 * (one of 20 strings) and title (2-5 words), generated from a fixed seed.
 */
public final class ScanData {
    public static final String QUERY = "price * qty > 500 AND category = 'phones'";
    static final String[] CATEGORIES = {"phones", "laptops", "tablets", "audio", "cameras", "tv", "books", "games",
        "toys", "garden", "kitchen", "sports", "beauty", "health", "auto", "music", "office", "pets", "baby", "tools"};
    private static final String[] WORDS = {"red", "fast", "pro", "mini", "max", "ultra", "smart", "classic", "neo", "air"};

    public final List<String> ids = new ArrayList<>();
    public final List<Value.ObjectValue> docs = new ArrayList<>();
    public final double[] price;
    public final long[] qty;
    public final String[] category;
    public final String[] title;

    public ScanData(int n) {
        Random r = new Random(42);
        price = new double[n];
        qty = new long[n];
        category = new String[n];
        title = new String[n];
        for (int i = 0; i < n; i++) {
            price[i] = 1 + Math.round(r.nextDouble() * 19900) / 100.0;
            qty[i] = 1 + r.nextInt(10);
            category[i] = CATEGORIES[r.nextInt(CATEGORIES.length)];
            StringBuilder t = new StringBuilder();
            for (int w = 2 + r.nextInt(4); w > 0; w--) t.append(t.isEmpty() ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
            title[i] = t.toString();
            Map<String, Value> m = new LinkedHashMap<>();
            m.put("price", Value.of(price[i]));
            m.put("qty", Value.of(qty[i]));
            m.put("category", Value.of(category[i]));
            m.put("title", Value.of(title[i]));
            ids.add("d" + i);
            docs.add(new Value.ObjectValue(m));
        }
    }

    public Segment segment() {
        SegmentBuilder b = new SegmentBuilder();
        for (int i = 0; i < docs.size(); i++) b.add(ids.get(i), docs.get(i));
        return b.build();
    }
}
