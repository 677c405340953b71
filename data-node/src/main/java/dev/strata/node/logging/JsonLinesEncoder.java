package dev.strata.node.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line: {@code timestamp} (ISO-8601, UTC), {@code level}, {@code logger},
 * {@code thread}, {@code message}, then the MDC's entries ({@code request_id}, {@code collection})
 * and the event's key-value pairs as fields of their own (numbers stay numbers), and {@code error}
 * with the exception's class, message and first frames. Written with Strata's own JSON writer, so
 * a message with quotes, newlines or any Unicode stays one valid line.
 */
public final class JsonLinesEncoder extends EncoderBase<ILoggingEvent> {
    private static final int FRAMES = 12;
    private static final byte[] NONE = new byte[0];

    @Override
    public byte[] headerBytes() { return NONE; }

    @Override
    public byte[] footerBytes() { return NONE; }

    @Override
    public byte[] encode(ILoggingEvent e) {
        Map<String, Value> o = new LinkedHashMap<>();
        o.put("timestamp", Value.of(Instant.ofEpochMilli(e.getTimeStamp()).toString()));
        o.put("level", Value.of(e.getLevel().toString()));
        o.put("logger", Value.of(e.getLoggerName()));
        o.put("thread", Value.of(e.getThreadName()));
        o.put("message", Value.of(e.getFormattedMessage() == null ? "" : e.getFormattedMessage()));
        e.getMDCPropertyMap().forEach((k, v) -> o.put(k, Value.of(v)));
        if (e.getKeyValuePairs() != null) {
            for (KeyValuePair kv : e.getKeyValuePairs()) o.put(kv.key, value(kv.value));
        }
        if (e.getThrowableProxy() != null) o.put("error", error(e.getThrowableProxy()));
        return (Json.write(new Value.ObjectValue(o)) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static Value value(Object v) {
        return switch (v) {
            case null -> Value.NULL;
            case Long l -> Value.of(l);
            case Integer i -> Value.of((long) i);
            case Double d -> Double.isFinite(d) ? Value.of(d) : Value.of(d.toString());
            case Boolean b -> Value.of(b);
            case Value x -> x;
            default -> Value.of(v.toString());
        };
    }

    private static Value error(IThrowableProxy t) {
        Map<String, Value> o = new LinkedHashMap<>();
        o.put("class", Value.of(t.getClassName()));
        o.put("message", t.getMessage() == null ? Value.NULL : Value.of(t.getMessage()));
        StringBuilder frames = new StringBuilder();
        StackTraceElementProxy[] st = t.getStackTraceElementProxyArray();
        for (int i = 0; st != null && i < Math.min(FRAMES, st.length); i++) frames.append(st[i].getSTEAsString()).append('\n');
        o.put("stack", Value.of(frames.toString()));
        if (t.getCause() != null) o.put("cause", error(t.getCause()));
        return new Value.ObjectValue(o);
    }
}
