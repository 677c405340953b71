package dev.strata.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShopFunctionsTest {
    @Test
    void stringDistanceCountsCodePointsNotBytesOrUtf16Units() {
        assertThat(ShopFunctions.stringDistance("kitten", "sitting")).isEqualTo(3);
        assertThat(ShopFunctions.stringDistance("", "abc")).isEqualTo(3);
        assertThat(ShopFunctions.stringDistance("café", "cafe")).as("é is one code point, two bytes").isEqualTo(1);
        assertThat(ShopFunctions.stringDistance("😀", "")).as("one code point, two UTF-16 units").isEqualTo(1);
    }

    @Test
    void spamCountsEachWordOnceIgnoringAsciiCase() {
        assertThat(ShopFunctions.spamWords("FREE free Free")).isEqualTo(1);
        assertThat(ShopFunctions.spamWords("Click Here to be a WINNER")).isEqualTo(2);
        assertThat(ShopFunctions.spamWords(42L)).isZero();
        assertThat(ShopFunctions.isSpam("free", null, null, 2)).as("title words count twice").isTrue();
        assertThat(ShopFunctions.isSpam(null, "free", 4L, 2)).isFalse();
        assertThat(ShopFunctions.isSpam(null, "free", 5L, 3)).isTrue();
    }

    @Test
    void bayesRatingShrinksFewReviewsTowardsThePrior() {
        assertThat(ShopFunctions.bayesRating(5.0, 2L, 3.0, 10)).isLessThan(ShopFunctions.bayesRating(4.8, 500L, 3.0, 10));
        assertThat(ShopFunctions.bayesRating(null, null, 3.5, 10)).isEqualTo(3.5);
        assertThat(ShopFunctions.bayesRating(4.0, -3L, 2.0, 0)).as("no weight at all").isEqualTo(2.0);
    }

    @Test
    void tieredTotalDiscountsFromTenAndFromAHundredItems() {
        assertThat(ShopFunctions.tieredTotal(2.0, 9)).isEqualTo(18.0);
        assertThat(ShopFunctions.tieredTotal(2.0, 10)).isEqualTo(2.0 * 10 * 0.95);
        assertThat(ShopFunctions.tieredTotal(2.0, 100)).isEqualTo(2.0 * 100 * 0.85);
    }

    @Test
    void slugKeepsAsciiLettersAndDigits() {
        assertThat(ShopFunctions.slug("  iPhone 15, Pro!! ")).isEqualTo("iphone-15-pro");
        assertThat(ShopFunctions.slug("Crème brûlée")).isEqualTo("cr-me-br-l-e");
        assertThat(ShopFunctions.slug("-- ")).isEmpty();
    }

    @Test
    void everyLanguageHasACommittedModuleAndASignatureFile() {
        for (String lang : ExampleModules.LANGUAGES) {
            byte[] wasm = ExampleModules.wasm(lang);
            assertThat(wasm).as(lang).startsWith(0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00);
            assertThat(ExampleModules.signatures(lang)).as(lang).containsEntry("tiered_total", "batch (f64, i64) -> f64")
                    .containsEntry("slug", "(string) -> string");
        }
        for (String lang : ExampleModules.SDK_LANGUAGES) {
            assertThat(ExampleModules.signatures(lang)).as(lang).containsEntry("string_distance", "(string, string) -> i32");
        }
    }
}
