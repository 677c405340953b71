package dev.strata.python;

import static dev.strata.core.testkit.UdfBatches.run;
import static dev.strata.core.testkit.UdfBatches.segment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.ast.Expr;
import dev.strata.core.ast.Span;
import dev.strata.core.segment.Segment;
import dev.strata.core.spi.ExecutionContext;
import dev.strata.core.spi.UdfFunction;
import dev.strata.core.spi.UdfModuleInfo;
import dev.strata.core.spi.UdfModuleSource;
import dev.strata.core.value.Value;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same contract for both modes, through the tier's registry: isolated workers and in-process contexts. */
class PythonModesContractTest {
    static final String SOURCE = """
            def kinds(i, f, s, b):
                return '%s|%s|%s|%s' % (type(i).__name__, type(f).__name__, s, b)

            def maybe(n):
                return None if n < 0 else n * 2

            def ratio(a, b):
                return a / b

            def columns(xs):
                return [x + 0.5 for x in xs]

            def escape(n):
                return open('/etc/hostname').read()
            """;
    static final Map<String, String> SIGS = Map.of("kinds", "(int, float, str, bool) -> str", "maybe", "(int) -> int",
            "ratio", "(float, float) -> float", "columns", "batch (float) -> float", "escape", "(int) -> str");

    @TempDir static Path dir;
    static PythonTierProvider tier;

    @BeforeAll
    static void open() {
        tier = PythonTierProvider.openAt(dir, Map.of("python.workers", "1", "python.worker.heap-mb", "256",
                "python.compiler-dir", Path.of("target", "graal-compiler").toAbsolutePath().toString()));
        for (String mode : List.of("isolated", "in_process")) {
            UdfModuleInfo info = tier.register(new UdfModuleSource(mode, SOURCE.getBytes(StandardCharsets.UTF_8), "python", "1", "",
                    SIGS, Map.of("mode", mode)));
            assertThat(info.details().get("mode")).isEqualTo(mode);
        }
    }

    @AfterAll
    static void close() { tier.close(); }

    static UdfFunction fn(String mode, String name, int arity) {
        List<Expr> args = new ArrayList<>();
        for (int i = 0; i < arity; i++) args.add(new Expr.Literal(Value.NULL, Span.NONE));
        return tier.resolve(new Expr.UdfCall("python_udf", mode, name, args, Span.NONE), List.of());
    }

    static final Segment DOCS = segment("{}", "{}", "{}");

    @ParameterizedTest
    @ValueSource(strings = {"isolated", "in_process"})
    void valuesCrossAsPythonTypes(String mode) {
        assertThat(run(fn(mode, "kinds", 4), DOCS, ExecutionContext.unbounded(),
                new Object[] {1L, 2L, null}, new Object[] {1.5, 0.0, 1.0}, new Object[] {"é", "x", "y"}, new Object[] {true, false, true}))
                .containsExactly(Value.of("int|float|é|True"), Value.of("int|float|x|False"), Value.NULL);
        assertThat(run(fn(mode, "maybe", 1), DOCS, ExecutionContext.unbounded(), new Object[] {3L, -1L, null}))
                .containsExactly(Value.of(6L), Value.NULL, Value.NULL);
        assertThat(run(fn(mode, "columns", 1), DOCS, ExecutionContext.unbounded(), new Object[] {1.0, null, 2.0}))
                .containsExactly(Value.of(1.5), Value.NULL, Value.of(2.5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"isolated", "in_process"})
    void failuresNameModuleFunctionLineAndDocument(String mode) {
        assertThatThrownBy(() -> run(fn(mode, "ratio", 2), DOCS, ExecutionContext.unbounded(), new Object[] {1.0, 2.0, 3.0}, new Object[] {1.0, 0.0, 1.0}))
                .isInstanceOf(StrataException.class)
                .hasMessageStartingWith("python_udf('" + mode + ".ratio') failed on document 'd1': ZeroDivisionError")
                .hasMessageContaining("(" + mode + ".py, line 8, in ratio)")
                .satisfies(e -> assertThat(((StrataException) e).code()).isEqualTo(ErrorCode.UDF_FAILED));
        assertThatThrownBy(() -> run(fn(mode, "escape", 1), DOCS, ExecutionContext.unbounded(), new Object[] {1L, 1L, 1L}))
                .hasMessageStartingWith("python_udf('" + mode + ".escape') failed on document 'd0'");
        assertThat(run(fn(mode, "maybe", 1), DOCS, ExecutionContext.unbounded(), new Object[] {1L, 2L, 3L}))
                .as("still serving").containsExactly(Value.of(2L), Value.of(4L), Value.of(6L));
    }
}
