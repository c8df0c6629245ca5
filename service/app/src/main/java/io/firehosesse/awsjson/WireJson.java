package io.firehosesse.awsjson;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The JSON dialect of AWS JSON 1.1: PascalCase member names, absent members omitted, timestamps as
 * epoch seconds with millisecond fractions. Kept apart from Spring's and Axon's mappers so neither
 * the REST API nor the event store changes when the wire does.
 */
public final class WireJson {

    /**
     * Bounds on what one request body may make the parser do, so a hostile body fails fast with a
     * SerializationException instead of costing stack, time or memory. Each sits well above what a legal
     * request of the Firehose and KMS models needs.
     */
    static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            // The deepest legal input (Firehose UpdateDestination) nests 7 levels; KMS's deepest, 3.
            .maxNestingDepth(32)
            // The longest legal string is a 1,000 KiB record's Data: 1,365,336 base64 characters.
            .maxStringLength(2 * 1024 * 1024)
            // Every number in the models is an int, a long or a double: 20 digits, or ~25 characters.
            .maxNumberLength(100)
            // Member names are short; map keys (tag keys, encryption context) stay far below this.
            .maxNameLength(16 * 1024)
            .build();

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(LIMITS)
                    // A member given twice is ambiguous (which one did the caller mean, which one did a proxy
                    // check?); refuse it rather than silently keep the last.
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .addModule(new SimpleModule("aws-timestamps").addSerializer(Instant.class, new EpochSeconds()))
            .build();

    private WireJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * What went wrong reading a request, in words for its sender: Jackson's own message without the parts that
     * name Java (the parser's source description, the constraint's getter, class names in backquotes), which
     * say nothing to a client and tell an attacker what the service runs on.
     */
    static String describe(JsonProcessingException failure) {
        String message = failure.getOriginalMessage() == null ? "" : failure.getOriginalMessage();
        message = message.replaceAll("\\s*\\(start marker at \\[Source:.*?\\]\\)", "")
                .replaceAll(",\\s*from\\s*`[^`]*`", "")
                .replaceAll("\\[Source:.*?\\]", "")
                .replaceAll("`[^`]*`", "a value")
                .replaceAll("\\b(java|javax|com\\.fasterxml|io\\.firehosesse)\\.[A-Za-z0-9_.$]+", "a value");
        return message.strip();
    }

    private static final class EpochSeconds extends StdSerializer<Instant> {

        EpochSeconds() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeNumber(BigDecimal.valueOf(value.toEpochMilli(), 3));
        }
    }
}
