package dev.strata.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.spi.ExecutionContext;
import dev.strata.core.segment.StringDictionary;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The linear LIKE matcher against a plain dynamic-programming oracle, and against hostile patterns. */
class LikePatternTest {
    /** The textbook O(n*m) table: whether text[..i] matches pattern[..j]; independent of the matcher under test. */
    static boolean oracle(String text, String pattern) {
        int[] t = text.codePoints().toArray();
        int[] p = pattern.codePoints().toArray();
        boolean[][] m = new boolean[t.length + 1][p.length + 1];
        m[0][0] = true;
        for (int j = 1; j <= p.length; j++) m[0][j] = m[0][j - 1] && p[j - 1] == '%';
        for (int i = 1; i <= t.length; i++) {
            for (int j = 1; j <= p.length; j++) {
                if (p[j - 1] == '%') m[i][j] = m[i][j - 1] || m[i - 1][j];
                else m[i][j] = m[i - 1][j - 1] && (p[j - 1] == '_' || p[j - 1] == t[i - 1]);
            }
        }
        return m[t.length][p.length];
    }

    @Test
    void agreesWithTheOracleOnRandomTextsAndPatterns() {
        Random r = new Random(42);
        String[] textChars = {"a", "b", "c", "é", "😀"};
        String[] patternChars = {"a", "b", "%", "_", "😀", "c"};
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder();
            for (int i = r.nextInt(12); i > 0; i--) text.append(textChars[r.nextInt(textChars.length)]);
            StringBuilder pattern = new StringBuilder();
            for (int i = r.nextInt(8); i > 0; i--) pattern.append(patternChars[r.nextInt(patternChars.length)]);
            assertThat(new LikePattern(pattern.toString(), false).matches(text.toString()))
                    .as("'%s' LIKE '%s'", text, pattern).isEqualTo(oracle(text.toString(), pattern.toString()));
        }
    }

    /** Folds as ILIKE documents it: each code point to the lower case of its upper case, dotted and dotless i left alone. */
    static String folded(String s) {
        return s.codePoints().map(c -> c == 0x130 || c == 0x131 ? c : Character.toLowerCase(Character.toUpperCase(c)))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    static StringDictionary dictionary(List<String> values) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int[] offsets = new int[values.size() + 1];
        for (int i = 0; i < values.size(); i++) {
            offsets[i] = bytes.size();
            bytes.writeBytes(values.get(i).getBytes(StandardCharsets.UTF_8));
        }
        offsets[values.size()] = bytes.size();
        return new StringDictionary(MemorySegment.ofArray(bytes.toByteArray()), MemorySegment.ofArray(offsets));
    }

    @Test
    void dictionaryMatchingOverUtf8BytesAgreesWithTheOracleAcrossChunksAndCaseClasses() {
        Random r = new Random(7);
        String[] textChars = {"a", "b", "A", "B", "k", "K", "\u212A", "s", "\u017F", "\u00DF", "\u03C3", "\u03C2", "\u03A3", "i", "\u0130", "\u0131", "\u00E9", "\u00C9", "\uD83D\uDE00", "%", "_"};
        String[] patternChars = {"a", "B", "%", "%", "K", "s", "\u03C3", "\u00C9", "\uD83D\uDE00", "i", "\u0130", "_"};
        List<String> values = new ArrayList<>();
        int bytes = 0;
        while (bytes < 300_000) { // several 64 KiB chunks
            StringBuilder text = new StringBuilder();
            for (int i = r.nextInt(14); i > 0; i--) text.append(textChars[r.nextInt(textChars.length)]);
            values.add(text.toString());
            bytes += text.toString().getBytes(StandardCharsets.UTF_8).length;
        }
        values.add("ab".repeat(50_000) + "K"); // one value larger than a chunk
        values.add("");
        StringDictionary d = dictionary(values);
        for (int n = 0; n < 150; n++) {
            StringBuilder pattern = new StringBuilder();
            for (int i = r.nextInt(6); i > 0; i--) pattern.append(patternChars[r.nextInt(patternChars.length)]);
            if (n % 25 == 0) pattern.append("%").append("ab".repeat(20)).append("%"); // a long run, found by KMP
            for (boolean ci : new boolean[] {false, true}) {
                boolean[] got = new LikePattern(pattern.toString(), ci).matchDictionary(d, ExecutionContext.unbounded());
                for (int c = 0; c < values.size(); c++) {
                    String v = values.get(c);
                    boolean want = ci ? oracle(folded(v), folded(pattern.toString())) : oracle(v, pattern.toString());
                    if (got[c] != want) throw new AssertionError("'" + v + "' " + (ci ? "ILIKE" : "LIKE") + " '" + pattern + "': " + got[c]);
                }
            }
        }
        for (String needle : new String[] {"", "a", "%", "_", "K", "ab".repeat(20), "\uD83D\uDE00"}) {
            boolean[] contains = LikePattern.literal(needle, true, true).matchDictionary(d, ExecutionContext.unbounded());
            boolean[] starts = LikePattern.literal(needle, false, true).matchDictionary(d, ExecutionContext.unbounded());
            boolean[] ends = LikePattern.literal(needle, true, false).matchDictionary(d, ExecutionContext.unbounded());
            for (int c = 0; c < values.size(); c++) {
                String v = values.get(c);
                assertThat(contains[c]).as("contains('%s', '%s')", v, needle).isEqualTo(v.contains(needle));
                assertThat(starts[c]).as("starts_with('%s', '%s')", v, needle).isEqualTo(v.startsWith(needle));
                assertThat(ends[c]).as("ends_with('%s', '%s')", v, needle).isEqualTo(v.endsWith(needle));
            }
        }
    }

    @Test
    void theWordWideAsciiFoldMatchesTheByteWiseOneForEveryByte() {
        byte[] buf = new byte[256 + 5];
        for (int i = 0; i < buf.length; i++) buf[i] = (byte) (i * 37 + 11);
        byte[] want = buf.clone();
        boolean anyHigh = false;
        for (int i = 0; i < want.length; i++) {
            if (want[i] >= 'A' && want[i] <= 'Z') want[i] += 32;
            anyHigh |= want[i] < 0;
        }
        assertThat(Utf8Like.foldAscii(buf, buf.length)).isEqualTo(anyHigh).isTrue();
        assertThat(buf).isEqualTo(want);
        byte[] ascii = "Hello, WORLD: [AZaz@`]{}".getBytes(StandardCharsets.US_ASCII);
        assertThat(Utf8Like.foldAscii(ascii, ascii.length)).isFalse();
        assertThat(new String(ascii, StandardCharsets.US_ASCII)).isEqualTo("hello, world: [azaz@`]{}");
    }

    @Test
    void ilikeFoldsCaseClassesNotJustLowerCase() {
        assertThat(new LikePattern("%k%", true).matches("\u212A")).isTrue(); // Kelvin sign
        assertThat(new LikePattern("\u03C3", true).matches("\u03C2")).isTrue(); // final sigma
        assertThat(new LikePattern("S", true).matches("\u017F")).isTrue(); // long s
        assertThat(new LikePattern("i", true).matches("\u0131")).isFalse(); // dotless i stays apart
    }

    @Test
    void longSegmentsWithWildcardsSpanSeveralWords() {
        String segment = "ab_".repeat(40) + "z"; // 121 code points: two words of the bit-parallel search
        String text = "x".repeat(1000) + "abq".repeat(40) + "z" + "y".repeat(10);
        assertThat(new LikePattern("%" + segment + "%", false).matches(text)).isTrue();
        assertThat(new LikePattern("%" + segment + "%", false).matches(text.replace("z", "w"))).isFalse();
        assertThat(new LikePattern("x%" + segment + "%y", false).matches(text)).isTrue();
        assertThat(new LikePattern("%É%", true).matches("café")).isTrue();
    }

    @Test
    void aPatternThatMadeTheOldMatcherBacktrackRunsInLinearTimeAndHonoursTheDeadline() {
        String huge = "a".repeat(1 << 20);
        assertThat(new LikePattern("%" + "a".repeat(5000) + "b", false).matches(huge)).isFalse();
        LikePattern p = new LikePattern("%" + "a".repeat(5000) + "b%", false); // found by Knuth-Morris-Pratt
        assertThat(p.matches(huge)).isFalse();
        LikePattern wild = new LikePattern("%" + "a".repeat(2000) + "_b%", false); // found by shift-and
        assertThat(wild.matches(huge + "xb")).isTrue();
        assertThat(wild.matches(huge)).isFalse();
        ExecutionContext past = ExecutionContext.withBudget(1);
        while (past.remainingNanos() >= 0) Thread.onSpinWait();
        assertThatThrownBy(() -> wild.matches(huge, past))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("ran past its deadline of 0 ms and was stopped while matching a LIKE pattern")
                .satisfies(e -> assertThat(((StrataException) e).code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
    }
}
