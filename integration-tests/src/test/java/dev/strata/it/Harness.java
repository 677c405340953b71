package dev.strata.it;

import dev.strata.core.ast.Query;
import dev.strata.core.segment.Segment;
import dev.strata.core.segment.SegmentBuilder;
import dev.strata.core.spi.CompileContext;
import dev.strata.core.spi.SegmentFilter;
import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import dev.strata.expr.ExpressionCompiler;
import dev.strata.expr.naive.NaiveEvaluator;
import dev.strata.parser.QueryParser;
import java.util.ArrayList;
import java.util.List;

/** Documents in one segment, queried through the compiled tier and through the naive oracle. */
final class Harness {
    private final QueryParser parser = new QueryParser();
    final List<String> ids = new ArrayList<>();
    final List<Value.ObjectValue> docs = new ArrayList<>();
    final Segment segment;

    Harness(List<String> jsonDocs, String... dateFields) {
        SegmentBuilder b = new SegmentBuilder();
        for (String f : dateFields) b.map(FieldPath.parseDotted(f), ValueKind.DATE);
        for (int i = 0; i < jsonDocs.size(); i++) {
            Value.ObjectValue doc = (Value.ObjectValue) Json.parse(jsonDocs.get(i));
            String id = "d" + i;
            b.add(id, doc);
            ids.add(id);
            docs.add(doc);
        }
        segment = b.build();
        for (String f : dateFields) { // the oracle sees what the segment sees: dates as dates
            for (int i = 0; i < docs.size(); i++) docs.set(i, (Value.ObjectValue) toDates(docs.get(i), f));
        }
    }

    private static Value toDates(Value.ObjectValue doc, String field) {
        if (!(doc.get(field) instanceof Value.StringValue s)) return doc;
        var m = new java.util.LinkedHashMap<>(doc.fields());
        m.put(field, new Value.DateValue(dev.strata.core.value.Temporal.parseDate(s.value())));
        return new Value.ObjectValue(m);
    }

    /** Ids matched by the compiled expression tier, in batches of {@code batch}. */
    List<String> compiled(String query, int batch) {
        Query q = parser.parse(query);
        SegmentFilter f = ExpressionCompiler.compileFilter(q.filter(), CompileContext.of(query, segment.schema())).bind(segment);
        List<String> out = new ArrayList<>();
        int[] docsBuf = new int[batch];
        for (int start = 0; start < segment.docCount(); start += batch) {
            int n = Math.min(batch, segment.docCount() - start);
            for (int i = 0; i < n; i++) docsBuf[i] = start + i;
            int kept = f.filter(docsBuf, n);
            for (int i = 0; i < kept; i++) out.add(segment.id(docsBuf[i]));
        }
        return out;
    }

    List<String> compiled(String query) { return compiled(query, SegmentFilter.MAX_BATCH); }

    /** Ids matched by the naive tree-walking oracle. */
    List<String> naive(String query) {
        Query q = parser.parse(query);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            if (NaiveEvaluator.matches(q.filter(), ids.get(i), docs.get(i))) out.add(ids.get(i));
        }
        return out;
    }
}
