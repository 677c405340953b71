package dev.strata.node.http;

import static dev.strata.node.http.OpenApi.obj;

import dev.strata.core.value.Value;
import java.util.List;

/** The request and reply shapes of the OpenAPI document, by name. */
final class Schemas {
    private Schemas() {}

    private static Value type(String t) { return obj("type", t); }

    private static Value props(Object... kv) { return obj("type", "object", "properties", obj(kv)); }

    private static Value array(Value items) { return obj("type", "array", "items", items); }

    static final Value ALL = obj(
            "Object", type("object"),
            "Text", type("string"),
            "Html", type("string"),
            "Error", props("error", props("code", obj("type", "string", "description", "QUERY_SYNTAX, TYPE_MISMATCH, UNAUTHORIZED, ..."),
                    "message", type("string"), "line", type("integer"), "column", type("integer"), "detail", type("string"))),
            "Health", props("status", obj("type", "string", "enum", new Value.ArrayValue(List.of(Value.of("ok"), Value.of("starting"),
                    Value.of("degraded"), Value.of("failed")))), "collections", type("object"), "problems", array(type("object")),
                    "tiers", type("object")),
            "CollectionNames", props("collections", array(type("string"))),
            "CollectionSettings", props("mappings", obj("type", "object", "description", "field path -> date or timestamp"),
                    "max_fields", type("integer")),
            "CollectionStats", props("collection", type("string"), "documents", type("integer"), "segments", type("integer"),
                    "fields", obj("type", "object", "description", "field path -> the kinds seen")),
            "Written", props("_id", type("string"), "result", type("string")),
            "Document", props("_id", type("string"), "_source", type("object")),
            "BulkReply", props("indexed", type("integer"), "failed", type("integer"), "errors", array(type("object")), "took_ms", type("number")),
            "QueryRequest", obj("description", "the query text as the body (text/plain), or {\"query\": \"...\"} (application/json)",
                    "oneOf", new Value.ArrayValue(List.of(type("string"), props("query", type("string"))))),
            "QueryReply", props("total", type("integer"), "hits", array(props("_id", type("string"), "_score", type("number"),
                            "_source", type("object"), "fields", type("object"))),
                    "groups", array(type("object")), "total_groups", type("integer"), "next", obj("type", "string", "description",
                            "the cursor of the next page, when there is one"),
                    "facets", type("object"), "warnings", array(type("string")), "explain", type("object"), "profile", type("object"),
                    "took_ms", type("number"), "timing", props("parse_and_plan_ms", type("number"), "execute_ms", type("number"),
                            "write_ms", type("number"))),
            "ModuleRequest", props("format", type("string"), "content", type("string"), "content_base64", type("string"),
                    "version", type("string"), "description", type("string"), "signatures", type("object"), "options", type("object")),
            "Module", props("tier", type("string"), "name", type("string"), "version", type("string"), "sha256", type("string"),
                    "functions", array(props("name", type("string"), "signature", type("string"))), "details", type("object")),
            "Modules", props("modules", array(obj("$ref", "#/components/schemas/Module"))));
}
