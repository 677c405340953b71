package dev.strata.node.http;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.node.exec.QueryExecutor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A query's reply with its hits ({@code _id}, {@code _score}, {@code _source} unless a SELECT left
 * it out, {@code fields} with the SELECT items): {@code head}'s members, then {@code "hits"}, then the members
 * {@code tail} gives for the time the hits took to write (so a reply's timing can include it).
 * Without hits (null: a grouped query, whose rows are among {@code head}'s members), no
 * {@code "hits"} member.
 * Each hit's {@code _source} is the stored JSON bytes as they are (validated at ingest), so fetch
 * builds no value tree and serialises nothing again.
 */
final class HitsReply {
    private HitsReply() {}

    static byte[] write(JsonOut head, List<QueryExecutor.Hit> hits, java.util.function.LongFunction<JsonOut> tail, long sizeHint) {
        long t0 = System.nanoTime();
        ByteArrayOutputStream b = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 64, sizeHint + 256));
        String h = Json.write(head.build());
        if (hits == null) { // a grouped query's reply: its rows are among head's members
            utf8(b, h.substring(0, h.length() - 1));
            return close(b, tail, t0, h.length() > 2);
        }
        utf8(b, h.substring(0, h.length() - 1)); // without the closing brace
        b.write(h.length() > 2 ? ',' : ' ');
        ascii(b, "\"hits\":[");
        for (int i = 0; i < hits.size(); i++) {
            QueryExecutor.Hit hit = hits.get(i);
            if (i > 0) b.write(',');
            utf8(b, "{\"_id\":" + Json.write(Value.of(hit.id())) + ",\"_score\":"
                    + (Double.isNaN(hit.score()) ? "null" : Json.write(Value.of(hit.score()))));
            if (hit.json() != null) {
                ascii(b, ",\"_source\":");
                b.writeBytes(hit.json());
            }
            if (hit.fields() != null) utf8(b, ",\"fields\":" + Json.write(new Value.ObjectValue(hit.fields())));
            b.write('}');
        }
        b.write(']');
        return close(b, tail, t0, true);
    }

    /** Appends {@code tail}'s members and the closing brace; {@code more} when a member came before them. */
    private static byte[] close(ByteArrayOutputStream b, java.util.function.LongFunction<JsonOut> tail, long t0, boolean more) {
        String t = Json.write(tail.apply(System.nanoTime() - t0).build());
        if (t.length() > 2) {
            if (more) b.write(',');
            utf8(b, t.substring(1));
        } else {
            b.write('}');
        }
        return b.toByteArray();
    }

    /** {@code {"_id": id, "_source": json}} with the stored bytes as they are. */
    static byte[] document(String id, byte[] json) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(json.length + id.length() + 32);
        utf8(b, "{\"_id\":" + Json.write(Value.of(id)) + ",\"_source\":");
        b.writeBytes(json);
        b.write('}');
        return b.toByteArray();
    }

    private static void ascii(ByteArrayOutputStream b, String s) { b.writeBytes(s.getBytes(StandardCharsets.US_ASCII)); }

    private static void utf8(ByteArrayOutputStream b, String s) { b.writeBytes(s.getBytes(StandardCharsets.UTF_8)); }
}
