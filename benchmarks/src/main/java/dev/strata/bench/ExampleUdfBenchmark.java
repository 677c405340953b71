package dev.strata.bench;

import dev.strata.core.segment.Segment;
import dev.strata.core.segment.SegmentBuilder;
import dev.strata.core.spi.UdfBatch;
import dev.strata.core.spi.UdfFunction;
import dev.strata.core.spi.UdfModuleSource;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import dev.strata.examples.ExampleModules;
import dev.strata.examples.ShopFunctions;
import dev.strata.wasm.WasmTierProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The example UDFs of {@code examples/}, per document, one row per language: the committed
 * modules (exactly what CI rebuilt and the integration tests registered) evaluated on 4,096-row
 * batches as a query stage does. {@code lang=java} runs {@link ShopFunctions}, the same functions
 * in plain Java over the same values, as the reference each language is a ratio of. The WAT
 * module has three of the five functions. Setup checks every language's answers against Java.
 * Run from the repository root ({@code ./strata bench ExampleUdfBenchmark}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class ExampleUdfBenchmark {
    static final int ROWS = 4096;
    static final String TARGET = "iPhone 15 Pro";
    private static final String[] WORDS = {"iPhone", "Pro", "case", "free", "Winner", "café", "Ultra", "click here", "15", "deal", "Über", "mini"};

    Path dir;
    WasmTierProvider tier;
    Segment segment;
    final String[] title = new String[ROWS];
    final String[] body = new String[ROWS];
    final long[] links = new long[ROWS];
    final double[] rating = new double[ROWS];
    final long[] reviews = new long[ROWS];
    final double[] price = new double[ROWS];
    final long[] qty = new long[ROWS];

    @Setup(Level.Trial)
    public void setup() throws Exception {
        Random r = new Random(11);
        SegmentBuilder b = new SegmentBuilder();
        for (int i = 0; i < ROWS; i++) {
            title[i] = words(r, 2 + r.nextInt(3));
            body[i] = words(r, 6 + r.nextInt(10));
            links[i] = r.nextInt(9);
            rating[i] = Math.round((1 + r.nextDouble() * 4) * 10) / 10.0;
            reviews[i] = r.nextInt(600);
            price[i] = 1 + Math.round(r.nextDouble() * 19900) / 100.0;
            qty[i] = 1 + r.nextInt(150);
            Map<String, Value> doc = new LinkedHashMap<>();
            doc.put("title", Value.of(title[i]));
            doc.put("body", Value.of(body[i]));
            doc.put("links", Value.of(links[i]));
            doc.put("rating", Value.of(rating[i]));
            doc.put("reviews", Value.of(reviews[i]));
            doc.put("price", Value.of(price[i]));
            doc.put("qty", Value.of(qty[i]));
            b.add("d" + i, new Value.ObjectValue(doc));
        }
        segment = b.build();
        dir = Files.createTempDirectory("strata-example-bench");
        tier = WasmTierProvider.openAt(dir, Map.of());
        for (String lang : ExampleModules.LANGUAGES) {
            tier.register(new UdfModuleSource("shop_" + lang, ExampleModules.wasm(lang), "wasm", "bench", "",
                    ExampleModules.signatures(lang), Map.of()));
        }
    }

    private static String words(Random r, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) s.append(i == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
        return s.toString();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        tier.close();
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One function's batch, with its argument columns filled as a query stage would fill them. */
    static final class Call {
        final UdfFunction fn;
        final UdfBatch batch;

        Call(ExampleUdfBenchmark b, String lang, String function, Object... columns) {
            fn = WasmBenchmark.resolve(b.tier, "shop_" + lang + "." + function, columns.length);
            List<ValueKind> kinds = fn.parameterKinds();
            batch = UdfBatch.allocate(kinds, ROWS);
            batch.segment = b.segment;
            for (int a = 0; a < columns.length; a++) {
                switch (columns[a]) {
                    case String[] s -> batch.strings[a] = s;
                    case double[] d -> batch.doubles[a] = d;
                    case long[] l -> batch.longs[a] = l;
                    case String s -> Arrays.fill(batch.strings[a], s);
                    case Double d -> Arrays.fill(batch.doubles[a], d);
                    case Long l -> Arrays.fill(batch.longs[a], l);
                    default -> throw new IllegalArgumentException(String.valueOf(columns[a]));
                }
                Arrays.fill(batch.argValid[a], -1L);
            }
        }

        UdfBatch run() {
            Arrays.fill(batch.outValid, 0);
            fn.evaluate(batch);
            return batch;
        }
    }

    /** Every language, with java as the reference: the three functions all four modules have. */
    @State(Scope.Thread)
    public static class AllLanguages {
        @Param({"java", "wat", "c", "assemblyscript", "rust"})
        public String lang;
        Call bayes;
        Call tiered;
        Call slug;
        final double[] doubles = new double[ROWS];
        final String[] strings = new String[ROWS];

        @Setup(Level.Trial)
        public void setup(ExampleUdfBenchmark b) {
            if (lang.equals("java")) return;
            bayes = new Call(b, lang, "bayes_rating", 3.5, 20.0);
            tiered = new Call(b, lang, "tiered_total", b.price, b.qty);
            slug = new Call(b, lang, "slug", (Object) b.title);
            double[] rated = bayes.run().outDoubles;
            double[] totals = tiered.run().outDoubles;
            String[] slugs = slug.run().outStrings;
            for (int i = 0; i < ROWS; i++) {
                check(rated[i] == ShopFunctions.bayesRating(b.rating[i], b.reviews[i], 3.5, 20.0), "bayes_rating", i);
                check(totals[i] == ShopFunctions.tieredTotal(b.price[i], b.qty[i]), "tiered_total", i);
                check(slugs[i].equals(ShopFunctions.slug(b.title[i])), "slug", i);
            }
        }

        private void check(boolean ok, String function, int row) {
            if (!ok) throw new IllegalStateException(lang + " " + function + " disagrees with Java on row " + row);
        }
    }

    /** The languages with an SDK, and java: the two functions the WAT module leaves out. */
    @State(Scope.Thread)
    public static class SdkLanguages {
        @Param({"java", "c", "assemblyscript", "rust"})
        public String lang;
        Call distance;
        Call spam;
        final long[] longs = new long[ROWS];

        @Setup(Level.Trial)
        public void setup(ExampleUdfBenchmark b) {
            if (lang.equals("java")) return;
            distance = new Call(b, lang, "string_distance", b.title, TARGET);
            spam = new Call(b, lang, "is_spam", 3L);
            long[] distances = distance.run().outLongs;
            long[] spammy = spam.run().outLongs;
            for (int i = 0; i < ROWS; i++) {
                if (distances[i] != ShopFunctions.stringDistance(b.title[i], TARGET)
                        || (spammy[i] != 0) != ShopFunctions.isSpam(b.title[i], b.body[i], b.links[i], 3)) {
                    throw new IllegalStateException(lang + " disagrees with Java on row " + i);
                }
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long stringDistance(SdkLanguages s) {
        if (s.distance != null) return s.distance.run().outLongs[7];
        for (int i = 0; i < ROWS; i++) s.longs[i] = ShopFunctions.stringDistance(title[i], TARGET);
        return s.longs[7];
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long isSpam(SdkLanguages s) {
        if (s.spam != null) return s.spam.run().outLongs[7];
        for (int i = 0; i < ROWS; i++) s.longs[i] = ShopFunctions.isSpam(title[i], body[i], links[i], 3) ? 1 : 0;
        return s.longs[7];
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public double bayesRating(AllLanguages s) {
        if (s.bayes != null) return s.bayes.run().outDoubles[7];
        for (int i = 0; i < ROWS; i++) s.doubles[i] = ShopFunctions.bayesRating(rating[i], reviews[i], 3.5, 20.0);
        return s.doubles[7];
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public double tieredTotal(AllLanguages s) {
        if (s.tiered != null) return s.tiered.run().outDoubles[7];
        for (int i = 0; i < ROWS; i++) s.doubles[i] = ShopFunctions.tieredTotal(price[i], qty[i]);
        return s.doubles[7];
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public String slug(AllLanguages s) {
        if (s.slug != null) return s.slug.run().outStrings[7];
        for (int i = 0; i < ROWS; i++) s.strings[i] = ShopFunctions.slug(title[i]);
        return s.strings[7];
    }
}
