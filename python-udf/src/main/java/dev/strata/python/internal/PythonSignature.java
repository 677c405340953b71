package dev.strata.python.internal;

import dev.strata.core.udf.SignatureSyntax;
import dev.strata.core.value.ValueKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Python UDF's declared signature, in the syntax both UDF tiers share ({@link SignatureSyntax}):
 * {@code (float, str) -> bool} for a function called with one row's values, {@code (doc) -> bool}
 * for one that gets the document as a read-only mapping, and {@code batch (float, int) -> float} for
 * one called with whole columns (lists) that returns a list; {@code deterministic} in front when the
 * result depends on the arguments alone. Python has no static types, so every function a query may
 * call is declared at registration.
 */
public record PythonSignature(boolean deterministic, boolean batch, double costNanos, boolean document, List<ValueKind> params, ValueKind result) {
    public PythonSignature {
        params = List.copyOf(params);
    }

    public static PythonSignature parse(String text) {
        SignatureSyntax syntax = SignatureSyntax.parse(text, "'(float, str) -> bool', '(doc) -> bool' or 'batch (float) -> float'");
        List<ValueKind> params = new ArrayList<>();
        boolean document = syntax.params().equals(List.of("doc"));
        if (document && syntax.batch()) throw new IllegalArgumentException("'" + text + "': a batch function takes columns, not a document");
        if (document && syntax.deterministic()) {
            throw new IllegalArgumentException("'" + text + "': a function that reads the document is not deterministic;"
                    + " pass the fields it needs as arguments, or leave 'deterministic' out");
        }
        if (!document) {
            for (String p : syntax.params()) params.add(kind(p, text));
        }
        if (syntax.deterministic() && params.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "': a deterministic function takes at least one argument"
                    + " (one without arguments would give one answer for every document)");
        }
        return new PythonSignature(syntax.deterministic(), syntax.batch(), syntax.costNanos(), document, params, kind(syntax.result(), text));
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
        StringBuilder b = new StringBuilder(SignatureSyntax.prefix(deterministic, batch, costNanos)).append("(");
        if (document) b.append("doc");
        for (int i = 0; i < params.size(); i++) b.append(i == 0 ? "" : ", ").append(name(params.get(i)));
        return b.append(") -> ").append(name(result)).toString();
    }

    private static String name(ValueKind k) {
        return k == ValueKind.STRING ? "str" : k.display();
    }
}
