package dev.strata.node.cli;

import dev.strata.core.QueryException;
import dev.strata.core.StrataException;
import dev.strata.core.ast.Query;
import dev.strata.core.segment.Segment;
import dev.strata.core.segment.SegmentBuilder;
import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import dev.strata.node.exec.QueryExecutor;
import dev.strata.node.exec.TierRegistry;
import dev.strata.node.storage.NdjsonLoader;
import dev.strata.parser.QueryParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line. Until the data node exists, it evaluates one query over the bundled demo
 * collection {@code products} and prints the matches as JSON lines.
 * Exit codes: 0 success, 2 a bad query, 1 anything else.
 */
public final class StrataMain {
    static final String EXAMPLE = "price * qty > 500 AND category = 'phones' ORDER BY price DESC LIMIT 5";

    private StrataMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.println("usage: ./strata run \"QUERY\"   evaluates QUERY over the bundled demo collection 'products'");
            out.println("fields: name, category, price, qty, tags[], in_stock, released (date), rating, brand.name, brand.country");
            out.println("try:    ./strata run \"" + EXAMPLE + "\"");
            return args.length == 0 ? 2 : 0;
        }
        String text = String.join(" ", args);
        try {
            Segment demo = demoCollection();
            long start = System.nanoTime();
            Query q = new QueryParser().parse(text);
            QueryExecutor.Result r = new QueryExecutor(TierRegistry.load()).execute(q, text, List.of(demo));
            double ms = (System.nanoTime() - start) / 1e6;
            for (QueryExecutor.Hit h : r.hits()) {
                Map<String, Value> line = new LinkedHashMap<>();
                line.put("_id", Value.of(h.id()));
                line.put("_score", Value.of(h.score()));
                line.putAll(h.source().fields());
                out.println(Json.write(new Value.ObjectValue(line)));
            }
            out.printf("%d of %d documents matched, %d shown, in %.2f ms%n", r.total(), demo.docCount(), r.hits().size(), ms);
            return 0;
        } catch (QueryException e) {
            err.println("strata: " + e.getMessage());
            return 2;
        } catch (StrataException e) {
            err.println("strata: " + e.getMessage());
            return e.code().kind() == dev.strata.core.ErrorCode.Kind.USER ? 2 : 1;
        } catch (IOException e) {
            err.println("strata: cannot read the demo data: " + e.getMessage());
            return 1;
        }
    }

    /** The bundled demo collection: 50 products, {@code released} mapped as a date. */
    public static Segment demoCollection() throws IOException {
        SegmentBuilder b = new SegmentBuilder().map(FieldPath.of("released"), ValueKind.DATE);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                StrataMain.class.getResourceAsStream("/demo/products.ndjson"), StandardCharsets.UTF_8))) {
            List<NdjsonLoader.LineError> errors = NdjsonLoader.load(in, b);
            if (!errors.isEmpty()) throw new IOException("bad demo line " + errors.get(0));
        }
        return b.build();
    }
}
