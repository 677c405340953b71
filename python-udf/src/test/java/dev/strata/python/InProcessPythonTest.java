package dev.strata.python;

import static dev.strata.core.testkit.UdfBatches.run;
import static dev.strata.core.testkit.UdfBatches.segment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.segment.Segment;
import dev.strata.core.spi.ExecutionContext;
import dev.strata.core.value.Value;
import dev.strata.python.internal.InProcessPythonUdf;
import dev.strata.python.internal.PythonModuleVersion;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Python functions run in this JVM on the real GraalPy: checking, calling, failing, bounding. */
class InProcessPythonTest {
    static final String SHOP = """
            def taxed(price, rate):
                return price * (1 + rate)

            def shout(s):
                return None if s == '' else s.upper() + '!'

            def is_big(n):
                return n > 10

            def label(doc):
                tags = doc.get('tags') or []
                return doc['name'] + ':' + ','.join(tags)

            def scale(xs, ys):
                return [x * y for x, y in zip(xs, ys)]

            def fails(n):
                return 1 // n
            """;
    static final Map<String, String> SIGS = Map.of("taxed", "(float, float) -> float", "shout", "(str) -> str",
            "is_big", "(int) -> bool", "label", "(doc) -> str", "scale", "batch (float, int) -> float", "fails", "(int) -> int");

    static InProcessPythonUdf fn(PythonModuleVersion v, String name) { return new InProcessPythonUdf(v, name); }

    static void assertRefused(String source, Map<String, String> sigs, String... fragments) {
        assertThatThrownBy(() -> PythonModuleVersion.load("m", source, sigs, 2))
                .isInstanceOf(StrataException.class)
                .satisfies(e -> assertThat(((StrataException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .satisfies(e -> {
                    for (String f : fragments) assertThat(e.getMessage()).contains(f);
                });
    }

    @Test
    void modulesAreCheckedAtRegistration() {
        assertRefused("def f(x):\n    return x +\n", Map.of("f", "(int) -> int"), "was refused: syntax error: SyntaxError", "line 2");
        assertRefused("def f(x):\n    return x\n", Map.of("f", "(int, int) -> int", "g", "(int) -> int", "h", "(blob) -> int"),
                "'f' is declared (int, int) -> int (2 parameters), but the function takes 1",
                "'g' is declared, but the module defines no such name",
                "the signature of 'h' is wrong: '(blob) -> int': unknown type 'blob'");
        assertRefused("x = 1 / 0\n", Map.of("x", "(int) -> int"), "running the module failed: ZeroDivisionError", "m.py, line 1");
        assertRefused("def f(x): return x\n", Map.of(), "it declares no function");
    }

    @Test
    void scalarFunctionsTakeAndReturnPythonValues() {
        PythonModuleVersion v = PythonModuleVersion.load("shop", SHOP, SIGS, 2);
        Segment s = segment("{}", "{}", "{}");
        ExecutionContext run = ExecutionContext.unbounded();
        assertThat(run(fn(v, "taxed"), s, run, new Object[] {100.0, 10.0, null}, new Object[] {0.5, 0.0, 1.0}))
                .containsExactly(Value.of(150.0), Value.of(10.0), Value.NULL);
        assertThat(run(fn(v, "shout"), s, run, new Object[] {"héllo", "", null}))
                .containsExactly(Value.of("HÉLLO!"), Value.NULL, Value.NULL);
        assertThat(run(fn(v, "is_big"), s, run, new Object[] {11L, 3L, 10L}))
                .containsExactly(Value.TRUE, Value.FALSE, Value.FALSE);
        assertThat(run.udfStats().get("python_udf('shop.taxed')").calls()).as("no call for a missing argument").isEqualTo(2);
    }

    @Test
    void documentAndBatchShapes() {
        PythonModuleVersion v = PythonModuleVersion.load("shop", SHOP, SIGS, 2);
        Segment s = segment("{\"name\":\"a\",\"tags\":[\"x\",\"y\"]}", "{\"name\":\"b\"}");
        assertThat(run(fn(v, "label"), s, ExecutionContext.unbounded())).containsExactly(Value.of("a:x,y"), Value.of("b:"));
        ExecutionContext run = ExecutionContext.unbounded();
        assertThat(run(fn(v, "scale"), s, run, new Object[] {1.5, 2.0}, new Object[] {2L, 3L}))
                .containsExactly(Value.of(3.0), Value.of(6.0));
        assertThat(run.udfStats().get("python_udf('shop.scale')").calls()).as("one call per batch").isEqualTo(1);
    }

    @Test
    void exceptionsNameTheLineTheFunctionAndTheDocument() {
        PythonModuleVersion v = PythonModuleVersion.load("shop", SHOP, SIGS, 2);
        Segment s = segment("{}", "{}");
        assertThatThrownBy(() -> run(fn(v, "fails"), s, ExecutionContext.unbounded(), new Object[] {1L, 0L}))
                .isInstanceOf(StrataException.class)
                .hasMessageStartingWith("python_udf('shop.fails') failed on document 'd1': ZeroDivisionError")
                .hasMessageContaining("(shop.py, line 18, in fails)")
                .satisfies(e -> assertThat(((StrataException) e).code()).isEqualTo(ErrorCode.UDF_FAILED));
        assertThat(run(fn(v, "is_big"), s, ExecutionContext.unbounded(), new Object[] {20L, 1L}))
                .as("the module keeps working").containsExactly(Value.TRUE, Value.FALSE);
    }

    @Test
    void documentsAreReadOnlyAndModulesCannotReachFilesOrEachOther() {
        PythonModuleVersion patcher = PythonModuleVersion.load("patcher", """
                import builtins
                builtins.len = lambda x: 42
                def mutate(doc):
                    doc['name'] = 'changed'
                    return True
                def read_passwd(n):
                    return open('/etc/passwd').read()
                def shell(n):
                    import os
                    return os.system('true')
                def mylen(s):
                    return len(s)
                def connect(n):
                    import socket
                    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                    s.connect(('127.0.0.1', 9))
                    return 1
                """, Map.of("mutate", "(doc) -> bool", "read_passwd", "(int) -> str", "shell", "(int) -> int", "mylen", "(str) -> int",
                        "connect", "(int) -> int"), 2);
        PythonModuleVersion clean = PythonModuleVersion.load("clean", "def mylen(s):\n    return len(s)\n", Map.of("mylen", "(str) -> int"), 2);
        Segment s = segment("{\"name\":\"a\"}");
        ExecutionContext run = ExecutionContext.unbounded();
        assertThatThrownBy(() -> run(fn(patcher, "mutate"), s, run)).hasMessageContaining("python_udf('patcher.mutate') failed on document 'd0'");
        assertThat(s.source(0).get("name")).isEqualTo(Value.of("a"));
        assertThatThrownBy(() -> run(fn(patcher, "read_passwd"), s, run, new Object[] {1L})).hasMessageContaining("failed on document 'd0'");
        assertThatThrownBy(() -> run(fn(patcher, "shell"), s, run, new Object[] {1L})).hasMessageContaining("failed on document 'd0'");
        assertThatThrownBy(() -> run(fn(patcher, "connect"), s, run, new Object[] {1L})).hasMessageContaining("failed on document 'd0'");
        assertThat(run(fn(patcher, "mylen"), s, run, new Object[] {"abc"})).containsExactly(Value.of(42L));
        assertThat(run(fn(clean, "mylen"), s, run, new Object[] {"abc"})).as("a fresh namespace per module").containsExactly(Value.of(3L));
    }

    @Test
    void aLoopingFunctionIsStoppedAtTheDeadline() {
        PythonModuleVersion v = PythonModuleVersion.load("loop", "def spin(n):\n    while True:\n        n += 1\n\ndef ok(n):\n    return n + 1\n",
                Map.of("spin", "(int) -> int", "ok", "(int) -> int"), 2);
        Segment s = segment("{}");
        assertThatThrownBy(() -> run(fn(v, "spin"), s, ExecutionContext.withBudget(300_000_000L), new Object[] {1L}))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("python_udf('loop.spin') was stopped on document 'd0' at the query deadline of 300 ms")
                .satisfies(e -> assertThat(((StrataException) e).code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
        assertThat(run(fn(v, "ok"), s, ExecutionContext.unbounded(), new Object[] {1L})).containsExactly(Value.of(2L));
    }
}
