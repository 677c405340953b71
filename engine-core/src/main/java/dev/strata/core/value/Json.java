package dev.strata.core.value;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader and writer over {@link Value}. Integers that fit in 64 bits become
 * {@code IntValue}; every other number becomes {@code FloatValue}. Errors name line and column.
 */
public final class Json {
    private static final int MAX_DEPTH = 256;

    private final String text;
    private int pos;
    private int depth;
    // parseDocument: the top-level "_id" member, taken out
    private boolean document;
    private Value id;
    private int cutFrom = -1;
    private int cutTo;

    private Json(String text) { this.text = text; }

    /** The fields of an object this parser built: handed to {@link Value.ObjectValue} without a copy (nobody else holds them). */
    static final class Fields extends LinkedHashMap<String, Value> {
        private static final long serialVersionUID = 1L;
    }

    /**
     * A document as a bulk line or a request body gives it: {@code id} is the value of its
     * top-level {@code "_id"} (null when it has none), {@code fields} the object without it, and
     * {@code source} the text without it: the other members exactly as written, so a stored
     * document keeps the bytes it arrived with.
     */
    public record Document(Value id, Value.ObjectValue fields, String source) {}

    /** Parses one JSON object as a document (see {@link Document}); anything else is an INVALID_JSON error. */
    public static Document parseDocument(String text) {
        Json p = new Json(text);
        p.document = true;
        p.skipWhitespace();
        int start = p.pos;
        Value v = p.value();
        int end = p.pos;
        p.skipWhitespace();
        if (p.pos < text.length()) throw p.error("unexpected text after the JSON value");
        if (!(v instanceof Value.ObjectValue o)) {
            throw new StrataException(ErrorCode.INVALID_JSON, "a document must be a JSON object, not " + v.kind().display());
        }
        String source = p.cutFrom < 0 ? text.substring(start, end) : text.substring(start, p.cutFrom) + text.substring(p.cutTo, end);
        return new Document(p.id, o, source);
    }

    /** Parses exactly one JSON value (surrounding whitespace allowed). */
    public static Value parse(String text) {
        Json p = new Json(text);
        p.skipWhitespace();
        Value v = p.value();
        p.skipWhitespace();
        if (p.pos < text.length()) {
            throw p.error("unexpected text after the JSON value");
        }
        return v;
    }

    /** Writes {@code v} as compact JSON. Dates and timestamps are written as ISO strings. */
    public static String write(Value v) {
        StringBuilder out = new StringBuilder();
        write(v, out);
        return out.toString();
    }

    public static void write(Value v, StringBuilder out) {
        switch (v) {
            case Value.NullValue n -> out.append("null");
            case Value.BoolValue b -> out.append(b.value());
            case Value.IntValue i -> out.append(i.value());
            case Value.FloatValue f -> out.append(Double.isFinite(f.value()) ? Double.toString(f.value()) : "null");
            case Value.StringValue s -> quote(s.value(), out);
            case Value.DateValue d -> quote(Temporal.formatDate(d.epochDay()), out);
            case Value.TimestampValue t -> quote(Temporal.formatTimestamp(t.epochMicros()), out);
            case Value.ArrayValue a -> {
                out.append('[');
                for (int i = 0; i < a.elements().size(); i++) {
                    if (i > 0) out.append(',');
                    write(a.elements().get(i), out);
                }
                out.append(']');
            }
            case Value.ObjectValue o -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, Value> e : o.fields().entrySet()) {
                    if (!first) out.append(',');
                    first = false;
                    quote(e.getKey(), out);
                    out.append(':');
                    write(e.getValue(), out);
                }
                out.append('}');
            }
        }
    }

    /**
     * About how many characters {@link #write} makes of {@code v}, without writing it: for memory
     * budgets, which need the size of a response before it is built. Exact for ASCII without escapes.
     */
    public static long estimateLength(Value v) {
        return switch (v) {
            case Value.ObjectValue o -> {
                long n = 2 + Math.max(0, o.fields().size() - 1);
                for (var e : o.fields().entrySet()) n += e.getKey().length() + 3 + estimateLength(e.getValue());
                yield n;
            }
            case Value.ArrayValue a -> {
                long n = 2 + Math.max(0, a.elements().size() - 1);
                for (Value e : a.elements()) n += estimateLength(e);
                yield n;
            }
            case Value.StringValue s -> s.value().length() + 2;
            case Value.NullValue x -> 4;
            case Value.BoolValue b -> b.value() ? 4 : 5;
            case Value.IntValue i -> 20;
            case Value.FloatValue f -> 24;
            case Value.DateValue d -> 12;
            case Value.TimestampValue t -> 30;
        };
    }

    public static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private Value value() {
        if (pos >= text.length()) {
            throw error("unexpected end of input, expected a value");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> new Value.StringValue(string());
            case 't' -> keyword("true", Value.TRUE);
            case 'f' -> keyword("false", Value.FALSE);
            case 'n' -> keyword("null", Value.NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected character '" + c + "', expected a value");
            }
        };
    }

    private Value object() {
        enter();
        pos++;
        Map<String, Value> fields = new Fields();
        boolean top = document && depth == 1;
        int lastComma = -1;
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return new Value.ObjectValue(fields);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a quoted key");
            }
            int keyPos = pos;
            String key = string();
            if (fields.containsKey(key) || (top && id != null && key.equals("_id"))) {
                pos = keyPos;
                throw error("duplicate key \"" + key + "\"");
            }
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Value v = value();
            boolean isId = top && key.equals("_id");
            if (isId) id = v; else fields.put(key, v);
            skipWhitespace();
            char c = peek();
            pos++;
            if (isId) { // cut the member and one comma next to it out of the source text
                cutFrom = c == ',' ? keyPos : lastComma >= 0 ? lastComma : keyPos;
                cutTo = c == ',' ? pos : pos - 1;
            }
            if (c == ',') lastComma = pos - 1;
            if (c == '}') break;
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
        depth--;
        return new Value.ObjectValue(fields);
    }

    private Value array() {
        enter();
        pos++;
        List<Value> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return new Value.ArrayValue(elements);
        }
        while (true) {
            skipWhitespace();
            elements.add(value());
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') break;
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
        depth--;
        return new Value.ArrayValue(elements);
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
    }

    private String string() {
        pos++;
        // the common case: no escape, no control character, no surrogate before the closing quote
        int end = pos;
        int n = text.length();
        while (end < n) {
            char c = text.charAt(end);
            if (c == '"') {
                String s = text.substring(pos, end);
                pos = end + 1;
                return s;
            }
            if (c == '\\' || c < 0x20 || Character.isSurrogate(c)) break;
            end++;
        }
        StringBuilder out = new StringBuilder(end - pos + 16).append(text, pos, end);
        pos = end;
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\') {
                if (pos >= text.length()) throw error("unterminated string");
                char e = text.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        int at = pos - 2;
                        char u = hex4();
                        if (Character.isHighSurrogate(u) && pos + 1 < text.length() && text.charAt(pos) == '\\' && text.charAt(pos + 1) == 'u') {
                            pos += 2;
                            char low = hex4();
                            if (Character.isLowSurrogate(low)) {
                                out.append(u).append(low);
                                break;
                            }
                        }
                        if (Character.isSurrogate(u)) {
                            pos = at;
                            throw error(String.format("a lone surrogate \\u%04x: a string must be valid Unicode (a high surrogate"
                                    + " \\ud800-\\udbff followed by a low one \\udc00-\\udfff)", (int) u));
                        }
                        out.append(u);
                    }
                    default -> {
                        pos--;
                        throw error("bad escape '\\" + e + "'");
                    }
                }
            } else if (c < 0x20) {
                pos--;
                throw error("control character in string");
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && pos < text.length() && Character.isLowSurrogate(text.charAt(pos))) {
                    out.append(c).append(text.charAt(pos++));
                } else {
                    pos--;
                    throw error(String.format("a lone surrogate \\u%04x: a string must be valid Unicode", (int) c));
                }
            } else {
                out.append(c);
            }
        }
    }

    /** Four hex digits of a \\u escape. */
    private char hex4() {
        if (pos + 4 > text.length()) throw error("bad \\u escape");
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0) throw error("bad \\u escape: four hex digits are needed");
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private Value number() {
        int start = pos;
        if (peek() == '-') pos++;
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) pos++;
        } else {
            throw error("expected a digit");
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) throw error("expected a digit after '.'");
            while (isDigit(peek())) pos++;
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!isDigit(peek())) throw error("expected a digit in the exponent");
            while (isDigit(peek())) pos++;
        }
        String literal = text.substring(start, pos);
        if (integral) {
            try {
                return new Value.IntValue(Long.parseLong(literal));
            } catch (NumberFormatException tooBig) {
                // falls through to a float, as JSON numbers have no size
            }
        }
        double d = Double.parseDouble(literal);
        if (!Double.isFinite(d)) {
            pos = start;
            throw error("number out of range");
        }
        return new Value.FloatValue(d);
    }

    private Value keyword(String word, Value v) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected token, expected a value");
        }
        pos += word.length();
        return v;
    }

    private void expect(char c) {
        if (peek() != c) throw error("expected '" + c + "'");
        pos++;
    }

    private char peek() { return pos < text.length() ? text.charAt(pos) : '\0'; }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') pos++;
            else break;
        }
    }

    private StrataException error(String what) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < Math.min(pos, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new StrataException(ErrorCode.INVALID_JSON,
                "malformed JSON: " + what + " at line " + line + ", column " + col);
    }
}
