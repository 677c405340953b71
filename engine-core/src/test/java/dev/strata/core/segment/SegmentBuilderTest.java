package dev.strata.core.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.StrataException;
import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import org.junit.jupiter.api.Test;

class SegmentBuilderTest {
    private static Segment segment(String... docs) {
        SegmentBuilder b = new SegmentBuilder().map(FieldPath.of("day"), ValueKind.DATE);
        for (int i = 0; i < docs.length; i++) b.add("d" + i, (Value.ObjectValue) Json.parse(docs[i]));
        return b.build();
    }

    /** A random document: nested objects, arrays of objects and scalars, every kind, empty arrays and objects, sparse paths. */
    private static String randomDoc(java.util.Random r) {
        StringBuilder b = new StringBuilder("{");
        String[] keys = {"a", "b", "day", "o", "t", "rare" + r.nextInt(40)};
        boolean first = true;
        for (String k : keys) {
            if (r.nextInt(3) == 0) continue;
            if (!first) b.append(',');
            first = false;
            b.append('"').append(k).append("\":").append(k.equals("day") ? (r.nextBoolean() ? "\"2024-01-0" + (1 + r.nextInt(9)) + "\"" : "null")
                    : randomValue(r, 2));
        }
        return b.append('}').toString();
    }

    private static String randomValue(java.util.Random r, int depth) {
        return switch (r.nextInt(depth > 0 ? 10 : 7)) {
            case 0 -> "null";
            case 1 -> r.nextBoolean() ? "true" : "false";
            case 2 -> Integer.toString(r.nextInt(7) - 3);
            case 3 -> r.nextBoolean() ? "-0.0" : Double.toString(r.nextInt(100) / 8.0);
            case 4, 5 -> "\"" + new String[] {"x", "y", "é", "zz", ""}[r.nextInt(5)] + "\"";
            case 6 -> "[]";
            case 7 -> "{}";
            case 8 -> {
                StringBuilder a = new StringBuilder("[");
                for (int i = r.nextInt(4); i > 0; i--) a.append(randomValue(r, depth - 1)).append(i > 1 ? "," : "");
                yield a.append(']').toString();
            }
            default -> "{\"p\":" + randomValue(r, depth - 1) + ",\"q\":" + randomValue(r, depth - 1) + "}";
        };
    }

    @Test
    void appendingSealedSegmentsColumnByColumnEqualsAddingTheirDocumentsAgain() {
        java.util.Random r = new java.util.Random(11);
        for (int round = 0; round < 30; round++) {
            java.util.List<Segment> parts = new java.util.ArrayList<>();
            for (int p = 0; p < 3; p++) {
                SegmentBuilder b = new SegmentBuilder().map(FieldPath.of("day"), ValueKind.DATE);
                for (int i = r.nextInt(150); i > 0; i--) b.add("p" + p + "-" + i, (Value.ObjectValue) Json.parse(randomDoc(r)));
                parts.add(b.build());
            }
            java.util.List<java.util.Set<Integer>> deleted = new java.util.ArrayList<>();
            for (Segment s : parts) {
                java.util.Set<Integer> gone = new java.util.HashSet<>();
                for (int d = 0; d < s.docCount(); d++) if (r.nextInt(4) == 0 || round % 10 == 0) gone.add(d);
                deleted.add(gone);
            }
            SegmentBuilder byColumns = new SegmentBuilder().map(FieldPath.of("day"), ValueKind.DATE);
            SegmentBuilder byDocuments = new SegmentBuilder().map(FieldPath.of("day"), ValueKind.DATE);
            for (int p = 0; p < parts.size(); p++) {
                Segment s = parts.get(p);
                byColumns.append(s, deleted.get(p)::contains);
                for (int d = 0; d < s.docCount(); d++) if (!deleted.get(p).contains(d)) byDocuments.add(s.id(d), s.source(d), s.sourceJson(d));
            }
            assertSameSegment(byColumns.build(), byDocuments.build());
        }
    }

    private static void assertSameSegment(Segment got, Segment want) {
        assertThat(got.docCount()).isEqualTo(want.docCount());
        for (int d = 0; d < want.docCount(); d++) {
            assertThat(got.id(d)).isEqualTo(want.id(d));
            assertThat(got.sourceJson(d)).isEqualTo(want.sourceJson(d));
        }
        assertThat(got.columns().keySet()).containsExactlyInAnyOrderElementsOf(want.columns().keySet());
        for (var e : want.columns().entrySet()) {
            FieldColumn w = e.getValue();
            FieldColumn g = got.columns().get(e.getKey());
            assertThat(g.kinds()).as(e.getKey()).isEqualTo(w.kinds());
            assertThat(g.isSingleValued()).as(e.getKey()).isEqualTo(w.isSingleValued());
            assertThat(g.isSparse()).as(e.getKey()).isEqualTo(w.isSparse());
            assertThat(g.presentDocs()).as(e.getKey()).isEqualTo(w.presentDocs());
            assertThat(g.dictionary().size()).as(e.getKey()).isEqualTo(w.dictionary().size());
            for (int d = 0; d < want.docCount(); d++) {
                assertThat(g.elementCount(d)).as(e.getKey() + " of " + d).isEqualTo(w.elementCount(d));
                for (int i = 0; i < w.elementCount(d); i++) {
                    assertThat(g.elementValue(g.element(d, i))).as(e.getKey() + " of " + d).isEqualTo(w.elementValue(w.element(d, i)));
                }
            }
        }
    }

    @Test
    void scalarFieldsAreSingleValuedWithPresenceAndKinds() {
        Segment s = segment("{\"a\":1}", "{\"a\":null}", "{}", "{\"a\":2.5}");
        FieldColumn a = s.column(FieldPath.of("a"));
        assertThat(a.isSingleValued()).isTrue();
        assertThat(a.kinds()).containsExactlyInAnyOrder(ValueKind.INT, ValueKind.NULL, ValueKind.FLOAT);
        assertThat(a.isPresent(1)).isTrue();
        assertThat(a.isPresent(2)).isFalse();
        assertThat(a.elementValue(0)).isEqualTo(Value.of(1));
        assertThat(a.elementValue(1)).isEqualTo(Value.NULL);
        assertThat(a.elementValue(3)).isEqualTo(Value.of(2.5));
        assertThat(s.schema().kindsOf(FieldPath.of("a"))).contains(ValueKind.INT, ValueKind.FLOAT);
    }

    @Test
    void arraysFlattenAndEmptyArraysArePresentWithoutElements() {
        Segment s = segment("{\"t\":[\"b\",\"a\"]}", "{\"t\":[]}", "{\"t\":[[\"c\"]]}", "{}");
        FieldColumn t = s.column(FieldPath.of("t"));
        assertThat(t.isSingleValued()).isFalse();
        assertThat(t.elementCount(0)).isEqualTo(2);
        assertThat(t.elementCount(1)).isZero();
        assertThat(t.isPresent(1)).isTrue();
        assertThat(t.elementValue(t.elementStart(2))).isEqualTo(Value.of("c"));
        assertThat(t.isPresent(3)).isFalse();
        assertThat(t.dictionary().get(0)).isEqualTo("a");
    }

    @Test
    void objectsInsideArraysReachTheirKeys() {
        Segment s = segment("{\"items\":[{\"sku\":\"x\"},{\"sku\":\"y\"},{\"n\":1}]}", "{\"items\":5}");
        FieldColumn sku = s.column(FieldPath.of("items", "sku"));
        assertThat(sku.elementCount(0)).isEqualTo(2);
        assertThat(sku.isPresent(1)).isFalse();
    }

    @Test
    void rarePathsAreStoredSparseAndReadLikeDenseOnes() {
        SegmentBuilder b = new SegmentBuilder();
        for (int d = 0; d < 1000; d++) {
            String doc = d == 10 ? "{\"r\":[1,\"x\"],\"n\":" + d + "}" : d == 500 ? "{\"r\":[],\"n\":" + d + "}"
                    : d == 700 ? "{\"r\":null,\"n\":" + d + "}" : "{\"n\":" + d + ",\"k" + d + "\":" + d + "}";
            b.add("d" + d, (Value.ObjectValue) Json.parse(doc));
        }
        Segment s = b.build();
        FieldColumn r = s.column(FieldPath.of("r"));
        assertThat(r.isSparse()).isTrue();
        assertThat(r.isSingleValued()).isFalse();
        assertThat(r.presentDocs()).containsExactly(10, 500, 700);
        assertThat(r.presentCount()).isEqualTo(3);
        assertThat(r.elementCount(10)).isEqualTo(2);
        assertThat(r.elementValue(r.element(10, 1))).isEqualTo(Value.of("x"));
        assertThat(r.isPresent(500)).isTrue();
        assertThat(r.elementCount(500)).isZero();
        assertThat(r.element(500, 0)).isEqualTo(-1);
        assertThat(r.elementValue(r.element(700, 0))).isEqualTo(Value.NULL);
        assertThat(r.isPresent(11)).isFalse();
        assertThat(r.element(11, 0)).isEqualTo(-1);
        assertThat(r.elementDocs()).containsExactly(10, 10, 700);
        // A key seen in one document of a thousand holds one element, not a thousand slots.
        FieldColumn k = s.column(FieldPath.of("k42"));
        assertThat(k.isSparse()).isTrue();
        assertThat(k.elementCount()).isEqualTo(1);
        assertThat(k.elementValue(k.element(42, 0))).isEqualTo(Value.of(42));
        FieldColumn n = s.column(FieldPath.of("n"));
        assertThat(n.isSparse()).isFalse();
        assertThat(n.isSingleValued()).isTrue();
        assertThat(n.element(999, 0)).isEqualTo(999);
    }

    @Test
    void keysWithDotsDoNotCollideWithNestedPaths() {
        Segment s = segment("{\"a.b\":1,\"a\":{\"b\":\"x\"}}");
        assertThat(s.column(FieldPath.of("a.b")).kinds()).containsExactly(ValueKind.INT);
        assertThat(s.column(FieldPath.of("a", "b")).kinds()).containsExactly(ValueKind.STRING);
    }

    @Test
    void mappedDatesAreParsedAndABadOneRefusesTheWholeDocument() {
        SegmentBuilder b = new SegmentBuilder().map(FieldPath.of("day"), ValueKind.DATE);
        b.add("ok", (Value.ObjectValue) Json.parse("{\"day\":\"2024-01-31\"}"));
        assertThatThrownBy(() -> b.add("bad", (Value.ObjectValue) Json.parse("{\"x\":1,\"day\":\"31/01/2024\"}")))
                .isInstanceOf(StrataException.class)
                .hasMessage("document 'bad': field 'day' is mapped as date but holds '31/01/2024'");
        Segment s = b.build();
        assertThat(s.docCount()).isEqualTo(1);
        assertThat(s.column(FieldPath.of("x"))).isNull();
        assertThat(s.column(FieldPath.of("day")).elementValue(0)).isEqualTo(new Value.DateValue(19753));
    }

    @Test
    void documentViewReadsByHandle() {
        Segment s = segment("{\"p\":2.5,\"q\":3,\"name\":\"x\",\"ok\":true}", "{\"p\":null}");
        DocumentView v = s.view();
        int p = v.handle(FieldPath.of("p"));
        int q = v.handle(FieldPath.of("q"));
        int name = v.handle(FieldPath.of("name"));
        int ok = v.handle(FieldPath.of("ok"));
        int none = v.handle(FieldPath.of("nope"));
        v.moveTo(0, 2.0);
        assertThat(v.id()).isEqualTo("d0");
        assertThat(v.score()).isEqualTo(2.0);
        assertThat(v.getDouble(p)).isEqualTo(2.5);
        assertThat(v.getLong(q)).isEqualTo(3);
        assertThat(v.getString(name)).isEqualTo("x");
        assertThat(v.getBool(ok)).isTrue();
        assertThat(v.exists(none)).isFalse();
        v.moveTo(1, 1.0);
        assertThat(v.exists(p)).isTrue();
        assertThat(v.kind(p)).isEqualTo(ValueKind.NULL);
        assertThat(v.exists(q)).isFalse();
    }
}
