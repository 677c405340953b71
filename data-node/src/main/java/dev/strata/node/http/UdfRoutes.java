package dev.strata.node.http;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.spi.UdfModuleInfo;
import dev.strata.core.spi.UdfModuleSource;
import dev.strata.core.spi.UdfModules;
import dev.strata.core.value.Value;
import dev.strata.node.Node;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** UDF modules: list, describe, register (admin), unload (admin). */
final class UdfRoutes {
    private final Node node;

    UdfRoutes(Node node) { this.node = node; }

    void listAllModules(Context ctx) {
        List<Value> all = new ArrayList<>();
        for (var p : node.queries().tiers().providers()) {
            p.modules().ifPresent(m -> { for (UdfModuleInfo i : m.list()) all.add(moduleJson(i).build()); });
        }
        Requests.send(ctx, 200, JsonOut.object().putList("modules", all));
    }

    void listModules(Context ctx) {
        UdfModules m = node.queries().tiers().modules(ctx.pathParam("tier"));
        Requests.send(ctx, 200, JsonOut.object().putList("modules", m.list().stream().map(i -> (Value) moduleJson(i).build()).toList()));
    }

    void describeModule(Context ctx) {
        String tier = ctx.pathParam("tier");
        String name = ctx.pathParam("module");
        UdfModuleInfo i = node.queries().tiers().modules(tier).describe(name)
                .orElseThrow(() -> new StrataException(ErrorCode.NOT_FOUND, "no " + tier + " module '" + name + "'"));
        Requests.send(ctx, 200, moduleJson(i));
    }

    void unloadModule(Context ctx) {
        String tier = ctx.pathParam("tier");
        String name = ctx.pathParam("module");
        var cluster = node.partitioned();
        boolean had = cluster != null ? cluster.udfs().unload(tier, name) : node.queries().tiers().modules(tier).unload(name);
        if (!had) throw new StrataException(ErrorCode.NOT_FOUND, "no " + tier + " module '" + name + "'");
        node.queries().udfModulesChanged();
        Requests.send(ctx, 200, JsonOut.object().put("unloaded", name).put("tier", tier));
    }

    /**
     * Registers a module. The body is JSON: {@code {"format": "wat"|"wasm"|..., "content": "<text>"}}
     * or {@code "content_base64"} for binary, with optional {@code version}, {@code description},
     * {@code signatures} ({@code {"fn": "(string) -> i32"}}) and {@code options} ({@code {"wasi": true}}).
     * A raw {@code application/wasm} body is taken as the binary, with the same settings as query
     * parameters ({@code ?version=&description=&wasi=true&signature.fn=...}).
     */
    void registerModule(Context ctx) {
        UdfModules modules = node.queries().tiers().modules(ctx.pathParam("tier"));
        String name = ctx.pathParam("module");
        String ct = ctx.contentType() == null ? "" : ctx.contentType().split(";")[0].trim().toLowerCase(Locale.ROOT);
        UdfModuleSource src;
        if (ct.equals("application/wasm")) {
            Map<String, String> sigs = new LinkedHashMap<>();
            Map<String, String> opts = new LinkedHashMap<>();
            ctx.queryParamMap().forEach((k, v) -> {
                if (k.startsWith("signature.")) sigs.put(k.substring("signature.".length()), v.get(0));
                else if (!k.equals("version") && !k.equals("description")) opts.put(k, v.get(0));
            });
            src = new UdfModuleSource(name, ctx.bodyAsBytes(), "wasm", ctx.queryParam("version"), ctx.queryParam("description"), sigs, opts);
        } else {
            Requests.requireContentType(ctx, Requests.JSON);
            Value.ObjectValue o = Requests.jsonObject(ctx, "the module");
            for (String k : o.fields().keySet()) {
                if (!Set.of("format", "content", "content_base64", "version", "description", "signatures", "options").contains(k)) {
                    throw new StrataException(ErrorCode.INVALID_REQUEST, "unknown field '" + k
                            + "' (known: format, content, content_base64, version, description, signatures, options)");
                }
            }
            byte[] content;
            if (o.get("content") instanceof Value.StringValue s) {
                content = s.value().getBytes(StandardCharsets.UTF_8);
            } else if (o.get("content_base64") instanceof Value.StringValue s) {
                try {
                    content = Base64.getDecoder().decode(s.value().strip());
                } catch (IllegalArgumentException e) {
                    throw new StrataException(ErrorCode.INVALID_REQUEST, "content_base64 is not valid base64: " + e.getMessage());
                }
            } else {
                throw new StrataException(ErrorCode.INVALID_REQUEST, "the module needs \"content\" (text) or \"content_base64\" (binary)");
            }
            String format = text(o, "format");
            if (format == null) format = o.get("content_base64") != null ? "wasm" : ctx.pathParam("tier").equals("python_udf") ? "python" : "wat";
            src = new UdfModuleSource(name, content, format, text(o, "version"), text(o, "description"),
                    stringMap(o, "signatures"), stringMap(o, "options"));
        }
        // on a cluster member: compiled here, then on every other member (and kept for members that join later)
        UdfModuleInfo info = node.partitioned() != null ? node.partitioned().udfs().register(ctx.pathParam("tier"), src) : modules.register(src);
        node.queries().udfModulesChanged();
        Requests.send(ctx, info.replaced() ? 200 : 201, moduleJson(info));
    }

    private static String text(Value.ObjectValue o, String field) {
        Value v = o.get(field);
        if (v == null || v instanceof Value.NullValue) return null;
        if (v instanceof Value.StringValue s) return s.value();
        throw new StrataException(ErrorCode.INVALID_REQUEST, "'" + field + "' must be a string");
    }

    private static Map<String, String> stringMap(Value.ObjectValue o, String field) {
        Value v = o.get(field);
        if (v == null || v instanceof Value.NullValue) return Map.of();
        if (!(v instanceof Value.ObjectValue m)) throw new StrataException(ErrorCode.INVALID_REQUEST, "'" + field + "' must be an object");
        Map<String, String> out = new LinkedHashMap<>();
        m.fields().forEach((k, x) -> out.put(k, switch (x) {
            case Value.StringValue s -> s.value();
            case Value.BoolValue b -> Boolean.toString(b.value());
            case Value.IntValue i -> Long.toString(i.value());
            default -> throw new StrataException(ErrorCode.INVALID_REQUEST, "'" + field + "." + k + "' must be a string, a bool or an integer");
        }));
        return out;
    }

    static JsonOut moduleJson(UdfModuleInfo i) {
        List<Value> fns = new ArrayList<>();
        for (UdfModuleInfo.Function f : i.functions()) {
            fns.add(JsonOut.object().put("name", f.name()).put("signature", f.signature()).put("shape", f.shape()).build());
        }
        JsonOut o = JsonOut.object().put("tier", i.tier()).put("name", i.name()).put("version", i.version())
                .put("description", i.description()).put("sha256", i.sha256()).put("size_bytes", i.sizeBytes())
                .put("registered_at", i.registeredAt()).put("state", i.state());
        if (i.replaced()) o.put("replaced", true);
        return o.putList("functions", fns).put("options", Value.fromJava(i.options())).put("details", Value.fromJava(i.details()));
    }
}
