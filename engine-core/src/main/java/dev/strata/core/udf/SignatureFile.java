package dev.strata.core.udf;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A signature file: the declared signatures of a module's functions, one {@code FUNCTION =
 * SIGNATURE} per line, as {@code examples/<language>/shop.signatures}. Blank lines and text after
 * {@code #} are skipped. The CLI reads it for {@code udf register --signatures}; the tier checks
 * the signatures themselves at registration.
 */
public final class SignatureFile {
    private SignatureFile() {}

    /** The signatures by function, in file order; a malformed line is INVALID_REQUEST naming its number. */
    public static Map<String, String> parse(List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            if (line.isBlank()) continue;
            int eq = line.indexOf('=');
            if (eq <= 0 || line.substring(0, eq).isBlank() || line.substring(eq + 1).isBlank()) {
                throw new StrataException(ErrorCode.INVALID_REQUEST,
                        "line " + (i + 1) + ": expected FUNCTION = SIGNATURE, got '" + lines.get(i).strip() + "'");
            }
            out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return out;
    }
}
