/**
 * The HTTP API on Javalin (Jetty): thin handlers that validate at the edge, call the node, and
 * render JSON. One exception mapper turns every error into {@code {"error":{code, message, ...}}}
 * with the status its {@link dev.strata.core.ErrorCode} implies; bad input never yields a 500.
 */
package dev.strata.node.http;
