package dev.strata.node.http;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web console: static files bundled in the jar under {@code /console/}, served as they are
 * (no build step, nothing fetched at run time). The page itself talks to the node through the
 * same HTTP API and tokens as any client, so serving it needs no scope.
 */
final class ConsoleRoutes {
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8");

    void index(Context ctx) { serve(ctx, "index.html"); }

    void file(Context ctx) { serve(ctx, ctx.pathParam("file")); }

    private static void serve(Context ctx, String name) {
        String type = FILES.get(name);
        if (type == null) throw new StrataException(ErrorCode.NOT_FOUND, "no console file '" + name + "'");
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream("/console/" + name)) {
            if (in == null) throw new StrataException(ErrorCode.INTERNAL, "the console file " + name + " is missing from the jar");
            ctx.status(200).contentType(type).header("Cache-Control", "no-cache").result(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
