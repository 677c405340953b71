package dev.strata.bench;

import dev.strata.core.ast.Query;
import dev.strata.parser.QueryParser;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** A warm parse of a 64-character query (text to AST, SLL path). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ParseBenchmark {
    /** Exactly 64 characters. */
    public static final String QUERY = "price * qty > 500 AND category = 'phones' ORDER BY price LIMIT 9";

    private final QueryParser parser = new QueryParser();

    @Benchmark
    public Query parse64() { return parser.parse(QUERY); }
}
