package dev.strata.node.http;

import dev.strata.node.access.Scope;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/**
 * One endpoint of the API: its method and path (Javalin's template, {@code {c}} for a path
 * parameter), the scope a caller needs, a one-line summary, and its handler. The route table in
 * {@link HttpApi} is the one list every route is registered, authorised and described from.
 */
record Route(HandlerType method, String path, Scope scope, String summary, Handler handler) {}
