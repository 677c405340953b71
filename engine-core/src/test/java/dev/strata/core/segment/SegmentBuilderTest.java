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
