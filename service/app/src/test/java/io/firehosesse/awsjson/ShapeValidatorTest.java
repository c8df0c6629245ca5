package io.firehosesse.awsjson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ShapeValidatorTest {

    final ObjectMapper json = new ObjectMapper();

    final ShapeValidator validator = new ShapeValidator(AwsServiceModel.parse(read("""
            {"metadata": {"targetPrefix": "Test"}, "operations": {},
             "shapes": {
               "Input": {"type": "structure", "members": {
                 "Limit": {"shape": "Limit"}, "Size": {"shape": "Size"}, "Offset": {"shape": "Offset"}}},
               "Limit": {"type": "integer", "min": 1, "max": 10000},
               "Size": {"type": "integer", "min": 1},
               "Offset": {"type": "long"}}}
            """)));

    JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void aNumberBeyondSixtyFourBitsIsReportedAsSentNotWrappedIntoRange() {
        // 2^64 + 5, which a long wraps round to 5.
        assertThatThrownBy(() -> validator.validate("Input", read("{\"Limit\": 18446744073709551621}")))
                .isInstanceOfSatisfying(AwsErrorException.class, e -> {
                    assertThat(e.type()).isEqualTo("ValidationException");
                    assertThat(e.getMessage()).isEqualTo("1 validation error detected: Value '18446744073709551621' at 'limit'"
                            + " failed to satisfy constraint: Member must have value less than or equal to 10000");
                });
        assertThatThrownBy(() -> validator.validate("Input", read("{\"Limit\": -18446744073709551615}")))
                .hasMessageContaining("Member must have value greater than or equal to 1");
    }

    @Test
    void anIntegerBeyondItsTypeWithoutAModelledMaximumIsASerializationError() {
        assertThatThrownBy(() -> validator.validate("Input", read("{\"Size\": 2147483648}")))
                .isInstanceOfSatisfying(AwsErrorException.class, e -> assertThat(e.type()).isEqualTo("SerializationException"))
                .hasMessageContaining("'size' is out of range for integer");
        assertThatThrownBy(() -> validator.validate("Input", read("{\"Offset\": 9223372036854775808}")))
                .hasMessageContaining("'offset' is out of range for long");
    }

    @Test
    void numbersWithinTheirTypeAndConstraintsPass() {
        validator.validate("Input", read("{\"Limit\": 10000, \"Size\": 2147483647, \"Offset\": 2147483648}"));
    }
}
