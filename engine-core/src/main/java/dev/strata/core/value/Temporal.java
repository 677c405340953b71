package dev.strata.core.value;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Parsing and printing of DATE and TIMESTAMP values (ISO 8601; timestamps need Z or an offset). */
public final class Temporal {
    private Temporal() {}

    /** Days since epoch for {@code yyyy-mm-dd}, or throws {@link IllegalArgumentException}. */
    public static int parseDate(String text) {
        try {
            return Math.toIntExact(LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE).toEpochDay());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("not a date of the form yyyy-mm-dd: '" + text + "'");
        }
    }

    /** Microseconds since epoch for an ISO instant with Z or an offset, or throws {@link IllegalArgumentException}. */
    public static long parseTimestamp(String text) {
        try {
            OffsetDateTime t = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            return ChronoUnit.MICROS.between(java.time.Instant.EPOCH, t.toInstant());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(
                    "not a timestamp of the form yyyy-mm-ddThh:mm:ss[.ffffff](Z|+hh:mm): '" + text + "'");
        }
    }

    public static String formatDate(int epochDay) { return LocalDate.ofEpochDay(epochDay).toString(); }

    public static String formatTimestamp(long micros) {
        OffsetDateTime t = OffsetDateTime.ofInstant(java.time.Instant.EPOCH.plus(micros, ChronoUnit.MICROS), ZoneOffset.UTC);
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
    }

    /** Microseconds at midnight UTC of the given day: how a DATE compares with a TIMESTAMP. */
    public static long dateToMicros(int epochDay) { return epochDay * 86_400_000_000L; }
}
