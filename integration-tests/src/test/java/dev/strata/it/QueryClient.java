package dev.strata.it;

import dev.strata.core.value.Value;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What the tests' in-process and child-process nodes share for queries, and paging through every hit with the cursor. */
interface QueryClient {
    TestNode.Response query(String collection, String text);

    TestNode.Response get(String path);

    /** Every hit of {@code text} (which must not have a LIMIT), in the query's order, page after page through "next". */
    default Paged all(String collection, String text, int pageSize) {
        TestNode.Response r = query(collection, text + " LIMIT " + pageSize);
        if (r.status() != 200) throw new AssertionError("expected 200, got " + r.status() + ": " + r.raw());
        long total = ((Value.IntValue) r.get("total")).value();
        List<Value.ObjectValue> hits = new ArrayList<>();
        while (true) {
            for (Value h : ((Value.ArrayValue) r.get("hits")).elements()) hits.add((Value.ObjectValue) h);
            if (!(r.get("next") instanceof Value.StringValue next)) break;
            r = get("/collections/" + collection + "/query?cursor=" + URLEncoder.encode(next.value(), StandardCharsets.UTF_8));
            if (r.status() != 200) throw new AssertionError("expected 200, got " + r.status() + ": " + r.raw());
        }
        return new Paged(total, hits);
    }

    /** The total of the first page and the hits of all pages. */
    record Paged(long total, List<Value.ObjectValue> hits) {
        List<String> ids() {
            return hits.stream().map(h -> ((Value.StringValue) h.get("_id")).value()).toList();
        }
    }
}
