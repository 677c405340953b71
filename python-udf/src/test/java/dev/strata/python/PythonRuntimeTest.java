package dev.strata.python;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.python.internal.PythonRuntime;
import java.io.ByteArrayOutputStream;
import org.graalvm.polyglot.Context;
import org.junit.jupiter.api.Test;

class PythonRuntimeTest {
    @Test
    void theEngineRunsJitCompiledWithTheGraalCompilerOnTheUpgradeModulePath() {
        assertThat(PythonRuntime.engine().getImplementationName()).doesNotContainIgnoringCase("interpreted");
        assertThat(PythonRuntime.jitEnabled()).isTrue();
    }

    @Test
    void aSandboxedContextEvaluatesPythonAndCapturesItsOutput() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context c = PythonRuntime.newContext(out)) {
            assertThat(c.eval("python", "print('hi'); 6 * 7").asInt()).isEqualTo(42);
        }
        assertThat(out.toString()).isEqualTo("hi\n");
    }
}
