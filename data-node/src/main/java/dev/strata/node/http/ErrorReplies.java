package dev.strata.node.http;

import dev.strata.core.ErrorCode;
import dev.strata.core.Messages;
import dev.strata.core.QueryException;
import dev.strata.core.StrataException;
import dev.strata.core.value.Json;
import dev.strata.node.Node;
import dev.strata.node.health.FatalErrors;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One place that turns every failure into a JSON error with the status its code implies: a
 * StrataException, an HTTP-level refusal (unknown route, body too large), an unexpected exception,
 * or a java.lang.Error (a fatal one goes to the node's fatal policy).
 */
final class ErrorReplies {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorReplies.class);

    private final Node node;
    private final long maxBody;

    ErrorReplies(Node node, long maxBody) {
        this.node = node;
        this.maxBody = maxBody;
    }

    static int status(ErrorCode code) {
        return switch (code) {
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS -> 409;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case TOO_LARGE -> 413;
            case WRONG_CONTENT_TYPE -> 415;
            case DEADLINE_EXCEEDED -> 504;
            case RESOURCE_EXHAUSTED -> 429;
            case UNAVAILABLE, READ_ONLY -> 503;
            case INTERNAL -> 500;
            default -> code.kind() == ErrorCode.Kind.USER ? 400 : 500;
        };
    }

    void error(Context ctx, StrataException e) {
        JsonOut err = JsonOut.object().put("code", e.code().name());
        if (e instanceof QueryException q) {
            err.put("message", Messages.cap(q.reason())).put("line", q.line()).put("column", q.column())
                    .put("detail", Messages.cap(q.getMessage()));
        } else {
            err.put("message", Messages.cap(e.getMessage()));
        }
        if (e.code().kind() == ErrorCode.Kind.INTERNAL) LOG.error("internal error on {} {}", ctx.method(), ctx.path(), e);
        if (e.code() == ErrorCode.UNAVAILABLE || e.code() == ErrorCode.READ_ONLY) ctx.header("Retry-After", "5");
        Requests.send(ctx, status(e.code()), JsonOut.object().put("error", err));
    }

    /**
     * A {@link Error} thrown by a handler: a fatal one (out of memory) goes to the node's fatal
     * policy (exit, or failed on /health); any other (a stack overflow) is an internal error with a
     * JSON body, never an empty 500.
     */
    void javaLangError(jakarta.servlet.http.HttpServletResponse res, Error e) {
        if (FatalErrors.isFatal(e)) node.fatalErrors().handle(e, "an HTTP request");
        else LOG.error("internal error in an HTTP request", e);
        try {
            res.setStatus(500);
            res.setContentType("application/json");
            res.getWriter().write(Json.write(JsonOut.object().put("error", JsonOut.object().put("code", ErrorCode.INTERNAL.name())
                    .put("message", "internal error: " + e)).build()));
        } catch (java.io.IOException | RuntimeException ignored) {
            // the client went away or the response is committed; the error is logged
        }
    }

    void httpError(Context ctx, HttpResponseException e) {
        int s = e.getStatus();
        ErrorCode code = switch (s) {
            case 404 -> ErrorCode.NOT_FOUND;
            case 413 -> ErrorCode.TOO_LARGE;
            case 415 -> ErrorCode.WRONG_CONTENT_TYPE;
            case 401 -> ErrorCode.UNAUTHORIZED;
            default -> s >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_REQUEST;
        };
        String message = switch (s) {
            case 404 -> "no such endpoint: " + ctx.method() + " " + ctx.path();
            case 405 -> "method " + ctx.method() + " is not allowed on " + ctx.path();
            case 413 -> "request body is larger than the limit of " + maxBody + " bytes";
            default -> e.getMessage();
        };
        Requests.send(ctx, s, JsonOut.object().put("error", JsonOut.object().put("code", code.name()).put("message", message)));
    }

    /**
     * An exception nobody turned into a StrataException. One that comes from the disk (a read-only
     * or full data directory) is the node's trouble but not a bug: 503 with the operating system's
     * reason (paths shown relative to the data directory). Anything else is a 500.
     */
    void internal(Context ctx, Exception e) {
        java.io.IOException io = ioCause(e);
        if (io != null) {
            LOG.error("storage failed on {} {}", ctx.method(), ctx.path(), e);
            ctx.header("Retry-After", "5");
            Requests.send(ctx, 503, JsonOut.object().put("error", JsonOut.object().put("code", ErrorCode.UNAVAILABLE.name())
                    .put("message", "the node could not do this on its disk: " + storageReason(io) + "; nothing was acknowledged,"
                            + " and the node's log has the details")));
            return;
        }
        LOG.error("internal error on {} {}", ctx.method(), ctx.path(), e);
        Requests.send(ctx, 500, JsonOut.object().put("error", JsonOut.object().put("code", ErrorCode.INTERNAL.name())
                .put("message", "internal error: " + e.getClass().getSimpleName() + " (the node's log has the details)")));
    }

    private static java.io.IOException ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof java.io.IOException io) return io;
        return null;
    }

    /** The operating system's words for a storage failure, without absolute paths of the server. */
    private String storageReason(java.io.IOException e) {
        String dir = node.config().dataDir().toString();
        String why;
        if (e instanceof java.nio.file.FileSystemException f) {
            String file = f.getFile() == null ? "" : f.getFile().replace(dir, "DATA_DIR");
            String reason = f.getReason() != null ? f.getReason() : f.getClass().getSimpleName().replace("Exception", "").replaceAll("(?<=.)(?=[A-Z])", " ").toLowerCase(Locale.ROOT);
            why = (file.isEmpty() ? "" : file + ": ") + reason;
        } else {
            why = String.valueOf(e.getMessage()).replace(dir, "DATA_DIR");
        }
        return why.startsWith("/") ? why.substring(why.lastIndexOf('/') + 1) : why;
    }
}
