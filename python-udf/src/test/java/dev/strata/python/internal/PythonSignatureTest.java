package dev.strata.python.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.value.ValueKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class PythonSignatureTest {
    @Test
    void theSharedSyntaxReadsDeterministicAndBatchInAnyOrderAndPrintsThemBack() {
        PythonSignature s = PythonSignature.parse("batch deterministic (float, int) -> float");
        assertThat(s.deterministic()).isTrue();
        assertThat(s.batch()).isTrue();
        assertThat(s.params()).containsExactly(ValueKind.FLOAT, ValueKind.INT);
        assertThat(s.toString()).isEqualTo("deterministic batch (float, int) -> float");
        assertThat(PythonSignature.parse("volatile (str) -> bool").deterministic()).isFalse();
        assertThat(PythonSignature.parse("(doc) -> bool").document()).isTrue();
        assertThat(PythonSignature.parse("(str) -> str").params()).isEqualTo(List.of(ValueKind.STRING));
        PythonSignature costed = PythonSignature.parse("cost=1.5us (int) -> int");
        assertThat(costed.costNanos()).isEqualTo(1500.0);
        assertThat(costed.toString()).isEqualTo("cost=1500ns (int) -> int");
        assertThat(PythonSignature.parse("(int) -> int").costNanos()).isNaN();
    }

    @Test
    void aFunctionThatReadsTheDocumentOrTakesNothingCannotBeDeterministic() {
        assertThatThrownBy(() -> PythonSignature.parse("deterministic (doc) -> bool"))
                .hasMessageContaining("a function that reads the document is not deterministic");
        assertThatThrownBy(() -> PythonSignature.parse("deterministic () -> int"))
                .hasMessageContaining("takes at least one argument");
        assertThatThrownBy(() -> PythonSignature.parse("pure (int) -> int")).hasMessageContaining("unknown word 'pure'");
        assertThatThrownBy(() -> PythonSignature.parse("(int) ->")).hasMessageContaining("the result type is missing");
        assertThatThrownBy(() -> PythonSignature.parse("cost=fast (int) -> int")).hasMessageContaining("cost=fast is not a cost per row");
    }
}
