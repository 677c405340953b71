package dev.strata.expr.internal;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.segment.Bits;
import java.time.LocalDate;
import java.util.Locale;

/**
 * The bucket functions a histogram groups by: {@code histogram(x, interval)} gives the lower bound
 * of {@code x}'s bucket of width {@code interval} (floor(x / interval) * interval), and
 * {@code date_histogram(d, unit)} truncates a date or timestamp to the start of its year, quarter,
 * month, ISO week (Monday), day, hour, minute or second (UTC).
 */
final class Buckets {
    private Buckets() {}

    static final String UNITS = "year, quarter, month, week, day, hour, minute, second";

    /** The truncation unit named {@code unit} (case-insensitive), or null. */
    static Unit unit(String unit) {
        try {
            return Unit.valueOf(unit.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    enum Unit { YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND }

    static StrataException badInterval(Object interval) {
        return new StrataException(ErrorCode.WRONG_ARGUMENTS, "histogram's interval must be a positive number, not " + interval);
    }

    static StrataException badUnit(String unit) {
        return new StrataException(ErrorCode.WRONG_ARGUMENTS, "date_histogram's unit must be one of " + UNITS + ", not '" + unit + "'");
    }

    /** The start of the bucket of {@code x}, for an int histogram. */
    static long bucket(long x, long interval, String where) {
        if (interval <= 0) throw badInterval(interval);
        try {
            return Math.multiplyExact(Math.floorDiv(x, interval), interval);
        } catch (ArithmeticException e) {
            throw Kernels.overflow(where);
        }
    }

    /** The start of the bucket of {@code x}, for a float histogram. */
    static double bucket(double x, double interval) {
        if (!(interval > 0) || Double.isInfinite(interval)) throw badInterval(interval);
        return Math.floor(x / interval) * interval + 0.0;
    }

    /** The first day of the {@code unit} holding {@code epochDay} (hours and smaller leave a date as it is). */
    static long truncateDate(long epochDay, Unit unit) {
        LocalDate d = LocalDate.ofEpochDay(epochDay);
        return switch (unit) {
            case YEAR -> d.withDayOfYear(1).toEpochDay();
            case QUARTER -> d.withDayOfMonth(1).withMonth((d.getMonthValue() - 1) / 3 * 3 + 1).toEpochDay();
            case MONTH -> d.withDayOfMonth(1).toEpochDay();
            case WEEK -> epochDay - (d.getDayOfWeek().getValue() - 1);
            default -> epochDay;
        };
    }

    private static final long MICROS_PER_DAY = 86_400_000_000L;

    /** The first microsecond of the {@code unit} holding {@code micros} (UTC). */
    static long truncateTimestamp(long micros, Unit unit) {
        return switch (unit) {
            case SECOND -> Math.floorDiv(micros, 1_000_000L) * 1_000_000L;
            case MINUTE -> Math.floorDiv(micros, 60_000_000L) * 60_000_000L;
            case HOUR -> Math.floorDiv(micros, 3_600_000_000L) * 3_600_000_000L;
            default -> truncateDate(Math.floorDiv(micros, MICROS_PER_DAY), unit) * MICROS_PER_DAY;
        };
    }

    /** {@code histogram} over ints. */
    static final class LongHistogram extends Vec.OfLong {
        private final Vec.OfLong x;
        private final Vec.OfLong interval;
        private final String where;

        LongHistogram(Vec.OfLong x, Vec.OfLong interval, String where) {
            this.x = x;
            this.interval = interval;
            this.where = where;
        }

        @Override
        public void eval(Rows r) {
            x.eval(r);
            interval.eval(r);
            ensure(r.n);
            for (int w = 0; w < Bits.words(r.n); w++) valid[w] = x.valid[w] & interval.valid[w];
            for (int i = 0; i < r.n; i++) if (Bits.get(valid, i)) v[i] = bucket(x.v[i], interval.v[i], where);
        }
    }

    /** {@code histogram} over floats. */
    static final class DoubleHistogram extends Vec.OfDouble {
        private final Vec.OfDouble x;
        private final Vec.OfDouble interval;

        DoubleHistogram(Vec.OfDouble x, Vec.OfDouble interval) {
            this.x = x;
            this.interval = interval;
        }

        @Override
        public void eval(Rows r) {
            x.eval(r);
            interval.eval(r);
            ensure(r.n);
            for (int w = 0; w < Bits.words(r.n); w++) valid[w] = x.valid[w] & interval.valid[w];
            for (int i = 0; i < r.n; i++) if (Bits.get(valid, i)) v[i] = bucket(x.v[i], interval.v[i]);
            Kernels.nullNonFinite(v, valid, r.n);
        }
    }

    /** {@code date_histogram} over dates ({@code timestamps} false) or timestamps. */
    static final class Truncate extends Vec.OfLong {
        private final Vec.OfLong d;
        private final Vec.OfString unit;
        private final boolean timestamps;

        Truncate(Vec.OfLong d, Vec.OfString unit, boolean timestamps) {
            this.d = d;
            this.unit = unit;
            this.timestamps = timestamps;
        }

        @Override
        public void eval(Rows r) {
            d.eval(r);
            unit.eval(r);
            ensure(r.n);
            String[] units = unit.strings(r.n);
            for (int w = 0; w < Bits.words(r.n); w++) valid[w] = d.valid[w] & unit.valid[w];
            String last = null;
            Unit u = null;
            for (int i = 0; i < r.n; i++) {
                if (!Bits.get(valid, i)) continue;
                if (!units[i].equals(last)) { // almost always one constant unit: parsed once per batch
                    last = units[i];
                    u = unit(last);
                    if (u == null) throw badUnit(last);
                }
                v[i] = timestamps ? truncateTimestamp(d.v[i], u) : truncateDate(d.v[i], u);
            }
        }
    }
}
