package dev.strata.core.udf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.StrataException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignatureFileTest {
    @Test
    void readsFunctionsAndSignaturesSkippingCommentsAndBlankLines() {
        Map<String, String> sigs = SignatureFile.parse(List.of("# a comment", "", "  dist = (string, string) -> i32  # trailing",
                "total=batch (f64, i64) -> f64"));
        assertThat(sigs).containsExactly(Map.entry("dist", "(string, string) -> i32"), Map.entry("total", "batch (f64, i64) -> f64"));
    }

    @Test
    void aMalformedLineIsReportedWithItsNumber() {
        assertThatThrownBy(() -> SignatureFile.parse(List.of("ok = () -> i32", "(f64) -> f64")))
                .isInstanceOf(StrataException.class).hasMessage("line 2: expected FUNCTION = SIGNATURE, got '(f64) -> f64'");
        assertThatThrownBy(() -> SignatureFile.parse(List.of("f =   "))).hasMessageStartingWith("line 1:");
    }
}
