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
