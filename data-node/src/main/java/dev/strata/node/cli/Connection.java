package dev.strata.node.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a client command finds the node and which token it sends: {@code --token}, else {@code
 * $STRATA_TOKEN}, else (for an admin request) the admin token in {@code DATA_DIR/admin.token}.
 */
final class Connection {
    @Option(names = "--url", defaultValue = "${env:STRATA_URL:-http://127.0.0.1:7700}", paramLabel = "ADDRESS",
            description = "The node: host:port or http://host:port (default: $STRATA_URL, else http://127.0.0.1:7700).")
    String url;
    @Option(names = "--token", paramLabel = "TOKEN",
            description = "The token to send (default: $STRATA_TOKEN; admin commands fall back to DATA_DIR/admin.token).")
    String token;
    @Option(names = "--data-dir", defaultValue = "./data", paramLabel = "DIR",
            description = "Where an admin command finds admin.token when no token is given (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    /** A client; {@code admin} reads the admin token file when no token is given. */
    NodeClient client(boolean admin) {
        String t = token != null ? token : System.getenv("STRATA_TOKEN");
        if (t == null && admin) {
            Path f = dataDir.resolve("admin.token");
            try {
                t = Files.readString(f).trim();
            } catch (java.io.IOException e) {
                throw new StrataMain.CliException(2, "no admin token: pass --token, set STRATA_TOKEN, or run where " + f + " is readable");
            }
        }
        return new NodeClient(url, t);
    }
}
