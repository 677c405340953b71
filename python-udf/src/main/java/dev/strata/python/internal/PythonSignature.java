package dev.strata.python.internal;

import dev.strata.core.value.ValueKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Python UDF's declared signature: {@code (float, str) -> bool} for a function called with one
 * row's values, {@code (doc) -> bool} for one that gets the document as a read-only mapping, and
 * {@code batch (float, int) -> float} for one called with whole columns (lists) that returns a list.
 * Python has no static types, so every function a query may call is declared at registration.
 */
public record PythonSignature(boolean batch, boolean document, List<ValueKind> params, ValueKind result) {
    public PythonSignature {
        params = List.copyOf(params);
    }

    public static PythonSignature parse(String text) {
        String s = text.trim();
        boolean batch = false;
        if (s.startsWith("batch")) {
            batch = true;
            s = s.substring(5).trim();
        }
        int arrow = s.indexOf("->");
        int close = arrow < 0 ? -1 : s.lastIndexOf(')', arrow);
        if (!s.startsWith("(") || close < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a signature like '(float, str) -> bool', '(doc) -> bool' or 'batch (float) -> float'");
        }
        String inside = s.substring(1, close).trim();
        List<ValueKind> params = new ArrayList<>();
        boolean document = false;
        if (inside.equals("doc")) {
            if (batch) throw new IllegalArgumentException("'" + text + "': a batch function takes columns, not a document");
            document = true;
        } else if (!inside.isEmpty()) {
            for (String p : inside.split(",")) params.add(kind(p, text));
        }
        return new PythonSignature(batch, document, params, kind(s.substring(arrow + 2), text));
    }

    private static ValueKind kind(String name, String text) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "int" -> ValueKind.INT;
            case "float" -> ValueKind.FLOAT;
            case "str", "string" -> ValueKind.STRING;
            case "bool" -> ValueKind.BOOL;
            default -> throw new IllegalArgumentException("'" + text + "': unknown type '" + name.trim()
                    + "' (the types are int, float, str, bool; a lone 'doc' passes the document)");
        };
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(batch ? "batch (" : "(");
        if (document) b.append("doc");
        for (int i = 0; i < params.size(); i++) b.append(i == 0 ? "" : ", ").append(name(params.get(i)));
        return b.append(") -> ").append(name(result)).toString();
    }

    private static String name(ValueKind k) {
        return k == ValueKind.STRING ? "str" : k.display();
    }
}
