package dev.strata.node;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The admin token a node checks: the configured one, else the one in {@code admin.token} in the
 * data directory, else a new random one written there (readable by its owner only).
 *
 * @param generated true when this start wrote a new token (the CLI prints where it is)
 */
record AdminToken(String token, boolean generated) {
    static final String FILE = "admin.token";

    /** An empty configured token is refused before anything is opened: it would let anyone in. */
    static void checkConfigured(String configured) {
        if (configured != null && configured.isBlank()) {
            throw new StrataException(ErrorCode.INVALID_REQUEST, "the admin token must not be empty: give --admin-token a value, or"
                    + " leave it out to have one generated");
        }
    }

    static AdminToken resolve(Path dataDir, String configured) throws IOException {
        if (configured != null) return new AdminToken(configured, false);
        Path file = dataDir.resolve(FILE);
        if (Files.exists(file)) {
            String token = Files.readString(file).trim();
            if (token.isEmpty()) {
                throw new StrataException(ErrorCode.INVALID_REQUEST, file + " is empty, and an empty admin token would"
                        + " let anyone in: write a token into it, or delete it to have one generated");
            }
            return new AdminToken(token, false);
        }
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        String token = HexFormat.of().formatHex(b);
        Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system; the file stays with default permissions
        }
        return new AdminToken(token, true);
    }
}
