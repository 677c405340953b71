package dev.strata.bench.storage;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Random;

/**
 * The storage bench's documents: a shop catalogue from a fixed seed, about 185 bytes of NDJSON
 * each, with an {@code _id}, a title of 3 to 6 words (some capitalised, so ILIKE differs from
 * LIKE), a category, price, qty, rating, 1 to 3 tags and a nested brand.
 */
public final class ShopData {
    static final String[] CATEGORIES = {"phones", "laptops", "tablets", "audio", "cameras", "tv", "books", "games", "toys",
        "garden", "kitchen", "sports", "beauty", "health", "auto", "music", "office", "pets", "baby", "tools"};
    static final String[] WORDS = {"smart", "pro", "mini", "max", "ultra", "classic", "neo", "air", "wireless", "portable",
        "compact", "deluxe", "basic", "premium", "eco", "turbo", "slim", "active", "digital", "home", "travel", "studio",
        "kids", "outdoor", "power", "silent", "bright", "solar", "rapid", "urban", "speaker", "charger", "lamp", "bottle",
        "kettle", "watch", "camera", "blender", "drone", "router", "keyboard", "mouse", "jacket", "backpack", "helmet",
        "tent", "mixer", "heater", "fan", "monitor", "tablet", "phone", "headset", "console", "printer", "scanner",
        "projector", "vacuum", "grill", "toaster", "stand", "case", "cable", "dock"};
    static final String[] TAGS = {"red", "blue", "green", "black", "white", "sale", "new", "eco", "bestseller", "gift",
        "limited", "refurbished"};
    static final String[] BRANDS = {"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Wonka",
        "Tyrell", "Cyberdyne", "Soylent", "Gringotts", "Oscorp", "Aperture", "Monarch", "Nakatomi", "Pied Piper",
        "Massive Dynamic", "Dunder", "Sterling", "Prestige", "Bluth", "Gekko", "Duff", "Krusty", "Ollivander", "Zorg",
        "Virtucon", "Buy n Large", "Spacely", "Cogswell", "Rekall", "Weyland", "InGen", "Abstergo", "Sirius", "Yoyodyne",
        "Omni", "Kaiba"};
    static final String[] COUNTRIES = {"DE", "US", "JP", "FR", "IT", "CN", "KR", "GB", "SE", "NL", "CH", "TW"};

    private ShopData() {}

    /** One document as an NDJSON line (without the newline). */
    static String line(Random r, long i) {
        StringBuilder t = new StringBuilder();
        for (int w = 3 + r.nextInt(4); w > 0; w--) {
            String word = WORDS[r.nextInt(WORDS.length)];
            int shape = r.nextInt(10);
            if (shape == 0) word = word.toUpperCase(Locale.ROOT);
            else if (shape < 3) word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
            t.append(t.isEmpty() ? "" : " ").append(word);
        }
        StringBuilder tags = new StringBuilder();
        for (int k = 1 + r.nextInt(3); k > 0; k--) tags.append(tags.isEmpty() ? "" : ",").append('"').append(TAGS[r.nextInt(TAGS.length)]).append('"');
        return String.format(Locale.ROOT,
                "{\"_id\":\"p%08d\",\"title\":\"%s\",\"category\":\"%s\",\"price\":%.2f,\"qty\":%d,\"rating\":%.1f,\"tags\":[%s],"
                        + "\"brand\":{\"name\":\"%s\",\"country\":\"%s\"}}",
                i, t, CATEGORIES[r.nextInt(CATEGORIES.length)], 1 + r.nextInt(49_900) / 100.0, 1 + r.nextInt(20),
                1 + r.nextInt(41) / 10.0, tags, BRANDS[r.nextInt(BRANDS.length)], COUNTRIES[r.nextInt(COUNTRIES.length)]);
    }

    /** The NDJSON file of {@code n} documents under {@code dir}, written once and kept for later runs. */
    public static Path file(Path dir, long n) throws IOException {
        Path f = dir.resolve("shop-" + n + ".ndjson");
        if (Files.exists(f)) return f;
        Files.createDirectories(dir);
        Path tmp = dir.resolve(f.getFileName() + ".tmp");
        Random r = new Random(20261201L);
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (long i = 0; i < n; i++) {
                w.write(line(r, i));
                w.write('\n');
            }
        }
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE);
        return f;
    }
}
