package io.firehosesse.awsjson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import java.util.List;
import java.util.Random;
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

    @Test
    void blobSizesAreCountedAsJavasDecoderWouldDecodeThem() {
        Random random = new Random(7);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ *";
        List<String> cases = new java.util.ArrayList<>(List.of("", "=", "==", "a", "ab", "ab=", "ab==", "abc", "abc=",
                "abc==", "abcd", "abcd=", "a===", "ab=c", "YWJj", "YWI=", "YQ==", "YQ", "YWI"));
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(9); n > 0; n--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            cases.add(text.toString());
        }
        for (int i = 0; i < 200; i++) {
            byte[] data = new byte[random.nextInt(40)];
            random.nextBytes(data);
            cases.add(Base64.getEncoder().encodeToString(data));
            cases.add(Base64.getEncoder().withoutPadding().encodeToString(data));
        }
        for (String text : cases) {
            int expected;
            try {
                expected = Base64.getDecoder().decode(text).length;
            } catch (IllegalArgumentException invalid) {
                expected = -1;
            }
            assertThat(ShapeValidator.base64Length(text)).as("'%s'", text).isEqualTo(expected);
        }
    }
}
