package dev.strata.core.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void integersStayIntegersAndTheRestAreFloats() {
        Value.ObjectValue o = (Value.ObjectValue) Json.parse("{\"a\":1,\"b\":1.0,\"c\":1e2,\"d\":99999999999999999999}");
        assertThat(o.get("a")).isEqualTo(Value.of(1));
        assertThat(o.get("b")).isEqualTo(Value.of(1.0));
        assertThat(o.get("c")).isEqualTo(Value.of(100.0));
        assertThat(o.get("d").kind()).isEqualTo(ValueKind.FLOAT);
    }

    @Test
    void roundTripsThroughTheWriter() {
        String text = "{\"s\":\"a\\\"b\\n\\u0001\",\"arr\":[1,2.5,null,true,{}],\"o\":{\"x\":[]}}";
        Value v = Json.parse(text);
        assertThat(Json.parse(Json.write(v))).isEqualTo(v);
        assertThat(((Value.ObjectValue) v).get("arr")).isEqualTo(new Value.ArrayValue(List.of(
                Value.of(1), Value.of(2.5), Value.NULL, Value.TRUE, new Value.ObjectValue(java.util.Map.of()))));
    }

    @Test
    void malformedInputNamesLineAndColumn() {
        assertThatThrownBy(() -> Json.parse("{\n  \"a\": tru }"))
                .isInstanceOf(StrataException.class)
                .hasMessage("malformed JSON: unexpected token, expected a value at line 2, column 8")
                .extracting(e -> ((StrataException) e).code()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}")).hasMessageContaining("duplicate key \"a\"");
        assertThatThrownBy(() -> Json.parse("[1,2")).hasMessageContaining("expected ',' or ']'");
        assertThatThrownBy(() -> Json.parse("\"abc")).hasMessageContaining("unterminated string");
        assertThatThrownBy(() -> Json.parse("[".repeat(300))).hasMessageContaining("nesting deeper");
        assertThatThrownBy(() -> Json.parse("1 2")).hasMessageContaining("after the JSON value");
    }
}
