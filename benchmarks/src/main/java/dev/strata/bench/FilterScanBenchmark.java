package dev.strata.bench;

import dev.strata.core.ast.Query;
import dev.strata.core.segment.FieldColumn;
import dev.strata.core.segment.Segment;
import dev.strata.core.spi.CompileContext;
import dev.strata.core.spi.SegmentFilter;
import dev.strata.core.value.FieldPath;
import dev.strata.expr.ExpressionCompiler;
import dev.strata.expr.naive.NaiveEvaluator;
import dev.strata.parser.QueryParser;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full scan of 1,000,000 documents with {@code price * qty > 500 AND category = 'phones'}, per
 * operation, in one run: Strata's compiled tier (compile and bind included), the naive
 * tree-walking evaluator, hand-written loops over the same columns (with and without branches),
 * and DuckDB on one thread. Every operation returns the match count; setup checks they agree.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Xms6g"})
public class FilterScanBenchmark {
    static final int DOCS = 1_000_000;

    private ScanData data;
    private Segment segment;
    private Query query;
    private double[] price;
    private long[] qty;
    private long[] categoryCodes;
    private String[] dictionary;
    private Connection duck;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        data = new ScanData(DOCS);
        segment = data.segment();
        query = new QueryParser().parse(ScanData.QUERY);
        FieldColumn p = segment.column(FieldPath.of("price"));
        FieldColumn q = segment.column(FieldPath.of("qty"));
        FieldColumn c = segment.column(FieldPath.of("category"));
        // the hand loops read plain arrays copied out of the columns: the ceiling the kernels aim at
        price = new double[segment.docCount()];
        p.readDoubles(0, price, price.length);
        qty = new long[segment.docCount()];
        q.readLongs(0, qty, qty.length);
        categoryCodes = new long[segment.docCount()];
        c.readLongs(0, categoryCodes, categoryCodes.length);
        dictionary = new String[c.dictionary().size()];
        for (int i = 0; i < dictionary.length; i++) dictionary[i] = c.dictionary().get(i);

        duck = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = duck.createStatement()) {
            s.execute("SET threads TO 1");
            s.execute("CREATE TABLE docs (price DOUBLE, qty BIGINT, category VARCHAR, title VARCHAR)");
        }
        try (DuckDBAppender a = ((DuckDBConnection) duck).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "docs")) {
            for (int i = 0; i < DOCS; i++) {
                a.beginRow();
                a.append(data.price[i]);
                a.append(data.qty[i]);
                a.append(data.category[i]);
                a.append(data.title[i]);
                a.endRow();
            }
        }
        long[] counts = {compiled(), naive(), handLoop(), handLoopBranchFree(), duckdb()};
        for (long n : counts) {
            if (n != counts[0] || n == 0) throw new IllegalStateException("engines disagree: " + java.util.Arrays.toString(counts));
        }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception { duck.close(); }

    @Benchmark
    public long compiled() {
        SegmentFilter f = ExpressionCompiler.compileFilter(query.filter(), CompileContext.of(ScanData.QUERY, segment.schema()))
                .bind(segment);
        int[] docs = new int[SegmentFilter.MAX_BATCH];
        long matches = 0;
        for (int start = 0; start < DOCS; start += docs.length) {
            int n = Math.min(docs.length, DOCS - start);
            for (int i = 0; i < n; i++) docs[i] = start + i;
            matches += f.filter(docs, n);
        }
        return matches;
    }

    @Benchmark
    public long naive() {
        long matches = 0;
        for (int i = 0; i < DOCS; i++) {
            if (NaiveEvaluator.matches(query.filter(), data.ids.get(i), data.docs.get(i))) matches++;
        }
        return matches;
    }

    @Benchmark
    public long handLoop() {
        long code = phonesCode();
        long matches = 0;
        for (int i = 0; i < DOCS; i++) {
            if (price[i] * qty[i] > 500 && categoryCodes[i] == code) matches++;
        }
        return matches;
    }

    /** The same loop without short-circuit branches: the ceiling a scalar loop reaches on this data. */
    @Benchmark
    public long handLoopBranchFree() {
        long code = phonesCode();
        long matches = 0;
        for (int i = 0; i < DOCS; i++) {
            matches += (price[i] * qty[i] > 500 ? 1 : 0) & (categoryCodes[i] == code ? 1 : 0);
        }
        return matches;
    }

    /** The hand loops look the constant up per scan, as the compiled tier does when it binds. */
    private long phonesCode() {
        for (int i = 0; i < dictionary.length; i++) if (dictionary[i].equals("phones")) return i;
        return -1;
    }

    @Benchmark
    public long duckdb() throws Exception {
        try (Statement s = duck.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM docs WHERE price * qty > 500 AND category = 'phones'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
