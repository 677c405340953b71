package dev.strata.node.exec;

import dev.strata.core.segment.Segment;
import dev.strata.core.spi.CompiledValue;
import dev.strata.core.spi.ExecutionContext;
import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.node.plan.Plan;
import dev.strata.node.storage.SegmentEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last step of a query: the page's hits with what the query asked them to return. Without
 * SELECT, the stored source bytes as they are. With SELECT, the items under their names: a bare
 * field from the stored source (objects and arrays as they are; a field the document lacks is
 * null), a computed item from the tier over the columns; the source itself only with {@code *}.
 * A SELECT of computed items alone reads no stored source at all.
 */
final class Fetch {
    /** Hits are accounted at least this often while they are fetched (bytes). */
    private static final long CHECK_BYTES = 1 << 20;
    /** Heap of one SELECT item of a hit besides its string's characters, near enough (an object or array item counts as one). */
    private static final long FIELD_BYTES = 64;
    /** Heap of one hit besides its source and id, near enough. */
    private static final long HIT_BYTES = 64;

    private final Plan plan;
    private final List<SegmentEntry> segments;
    private final ExecutionContext run;
    private final boolean wantsSource;
    private final boolean readsSource;
    private final Map<Long, CompiledValue.Bound> bound = new HashMap<>();

    Fetch(Plan plan, List<SegmentEntry> segments, ExecutionContext run) {
        this.plan = plan;
        this.segments = segments;
        this.run = run;
        var select = plan.query().select();
        this.wantsSource = select == null || select.source();
        this.readsSource = wantsSource || plan.projections().stream().anyMatch(p -> p.sourcePath() != null);
    }

    List<QueryExecutor.Hit> page(List<Match> ordered, int from, int to) {
        List<QueryExecutor.Hit> hits = new ArrayList<>(Math.max(0, to - from));
        long held = 0;
        int[] doc = new int[1];
        double[] score = new double[1];
        Value[] value = new Value[1];
        for (int i = from; i < to; i++) {
            Match m = ordered.get(i);
            Segment s = segments.get(m.segment()).segment();
            byte[] json = readsSource ? s.sourceJson(m.doc()) : null;
            Map<String, Value> fields = null;
            if (!plan.projections().isEmpty()) {
                fields = new LinkedHashMap<>();
                Value source = null;
                doc[0] = m.doc();
                score[0] = m.score();
                for (int p = 0; p < plan.projections().size(); p++) {
                    Plan.Projection item = plan.projections().get(p);
                    if (item.sourcePath() != null) {
                        if (source == null) source = Json.parse(new String(json, StandardCharsets.UTF_8));
                        fields.put(item.name(), select(source, item.sourcePath(), 0));
                    } else {
                        bound(p, m.segment(), s).evaluateValues(doc, 1, score, value);
                        fields.put(item.name(), value[0]);
                    }
                }
                for (Value v : fields.values()) held += FIELD_BYTES + (v instanceof Value.StringValue str ? 2L * str.value().length() : 0);
            }
            QueryExecutor.Hit h = new QueryExecutor.Hit(s.id(m.doc()), m.score(), wantsSource ? json : null, fields);
            held += (wantsSource ? json.length : 0) + 2L * h.id().length() + HIT_BYTES;
            if (held > CHECK_BYTES) {
                run.memory().reserve(held, "the page of " + (to - from) + " hits");
                held = 0;
            }
            hits.add(h);
        }
        run.memory().reserve(held, "the page of " + (to - from) + " hits");
        return hits;
    }

    private CompiledValue.Bound bound(int projection, int segment, Segment s) {
        return bound.computeIfAbsent(((long) projection << 32) | segment, k -> plan.projections().get(projection).value().bind(s, run));
    }

    /** The value at {@code path} under {@code v}: through arrays element by element; null when absent. */
    static Value select(Value v, FieldPath path, int step) {
        if (step == path.steps().size()) return v;
        return switch (path.steps().get(step)) {
            case FieldPath.Key k -> switch (v) {
                case Value.ObjectValue o -> o.fields().containsKey(k.name()) ? select(o.fields().get(k.name()), path, step + 1) : Value.NULL;
                case Value.ArrayValue a -> {
                    List<Value> out = new ArrayList<>();
                    for (Value e : a.elements()) {
                        if (e instanceof Value.ObjectValue o && o.fields().containsKey(k.name())) out.add(select(o.fields().get(k.name()), path, step + 1));
                    }
                    yield out.isEmpty() ? Value.NULL : new Value.ArrayValue(out);
                }
                default -> Value.NULL;
            };
            case FieldPath.Index i -> v instanceof Value.ArrayValue a && i.position() < a.elements().size()
                    ? select(a.elements().get(i.position()), path, step + 1) : Value.NULL;
        };
    }
}
