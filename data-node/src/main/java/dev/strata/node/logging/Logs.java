package dev.strata.node.logging;

import ch.qos.logback.classic.Level;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The log level setting and the per-request fields every line inside a request carries. */
public final class Logs {
    /** MDC keys: the request's id and, for a collection's routes, its name. */
    public static final String REQUEST_ID = "request_id", COLLECTION = "collection";
    private static final Pattern GIVEN_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Logs() {}

    /** Sets the root level: {@code error}, {@code warn}, {@code info}, {@code debug} or {@code trace}. */
    public static void setLevel(String level) {
        String l = level.toUpperCase(Locale.ROOT);
        if (!java.util.List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE").contains(l)) {
            throw new IllegalArgumentException("the log level must be error, warn, info, debug or trace, not '" + level + "'");
        }
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.toLevel(l));
    }

    /**
     * Starts a request's log fields: the caller's {@code X-Request-Id} when it is a short plain
     * token, else a new random one. Returns the id (the reply echoes it).
     */
    public static String startRequest(String given) {
        MDC.clear(); // nothing of an earlier request on this thread carries over, even if its end was missed
        String id = given != null && GIVEN_ID.matcher(given).matches() ? given : HexFormat.of().formatHex(bytes());
        MDC.put(REQUEST_ID, id);
        return id;
    }

    private static byte[] bytes() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return b;
    }

    /** The collection a request is about. */
    public static void collection(String name) { MDC.put(COLLECTION, name); }

    /** Ends a request's log fields (the thread serves other requests next). */
    public static void endRequest() { MDC.clear(); }
}
