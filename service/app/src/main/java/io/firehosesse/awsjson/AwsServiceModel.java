package io.firehosesse.awsjson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An AWS service model (the botocore {@code service-2.json} AWS publishes): its target prefix, each
 * operation's input shape, and every shape's constraints. Requests are checked against it, so the
 * rules clients see are AWS's own rather than a hand-copied subset.
 */
public final class AwsServiceModel {

    public static final String FIREHOSE = "/aws-models/firehose-2015-08-04.service-2.json";
    public static final String KMS = "/aws-models/kms-2014-11-01.service-2.json";

    private final String targetPrefix;
    private final Map<String, String> inputShapeByOperation;
    private final Map<String, Shape> shapes;

    private AwsServiceModel(String targetPrefix, Map<String, String> inputShapeByOperation, Map<String, Shape> shapes) {
        this.targetPrefix = targetPrefix;
        this.inputShapeByOperation = inputShapeByOperation;
        this.shapes = shapes;
    }

    public static AwsServiceModel load(String classpathResource) {
        try (InputStream in = AwsServiceModel.class.getResourceAsStream(classpathResource)) {
            if (in == null) {
                throw new IllegalStateException("Missing AWS service model " + classpathResource);
            }
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable AWS service model " + classpathResource, e);
        }
    }

    static AwsServiceModel parse(JsonNode root) {
        Map<String, String> inputs = new HashMap<>();
        root.path("operations").fields().forEachRemaining(op -> {
            JsonNode input = op.getValue().path("input").path("shape");
            if (!input.isMissingNode()) {
                inputs.put(op.getKey(), input.asText());
            }
        });
        Map<String, Shape> shapes = new HashMap<>();
        root.path("shapes").fields().forEachRemaining(s -> shapes.put(s.getKey(), Shape.parse(s.getValue())));
        return new AwsServiceModel(root.path("metadata").path("targetPrefix").asText(), inputs, shapes);
    }

    public String targetPrefix() {
        return targetPrefix;
    }

    public Optional<String> inputShapeOf(String operation) {
        return Optional.ofNullable(inputShapeByOperation.get(operation));
    }

    /** A shape's type as the model names it: {@code structure}, {@code list}, {@code string}, ... */
    public String typeOf(String shape) {
        return shape(shape).type();
    }

    /** A structure's members in the model's order, each with its shape; empty for any other type. */
    public Map<String, String> membersOf(String shape) {
        return shape(shape).members();
    }

    /** The members a structure requires. */
    public Set<String> requiredOf(String shape) {
        return shape(shape).required();
    }

    /** The shape of a list's elements; null for any other type. */
    public String elementOf(String shape) {
        return shape(shape).memberShape();
    }

    Shape shape(String name) {
        Shape shape = shapes.get(name);
        if (shape == null) {
            throw new IllegalStateException("Shape " + name + " is not in the model of " + targetPrefix);
        }
        return shape;
    }

    /** The constraints of one shape, as the model states them. */
    record Shape(String type, Map<String, String> members, Set<String> required, String memberShape,
                 String keyShape, String valueShape, Long min, Long max, Pattern pattern, String patternText,
                 List<String> enumValues, boolean sensitive) {

        static Shape parse(JsonNode node) {
            Map<String, String> members = new LinkedHashMap<>();
            node.path("members").fields().forEachRemaining(m -> members.put(m.getKey(), m.getValue().path("shape").asText()));
            Set<String> required = new HashSet<>();
            node.path("required").forEach(r -> required.add(r.asText()));
            String patternText = node.hasNonNull("pattern") ? node.get("pattern").asText() : null;
            List<String> enumValues = node.has("enum")
                    ? java.util.stream.StreamSupport.stream(node.get("enum").spliterator(), false).map(JsonNode::asText).toList()
                    : null;
            return new Shape(node.path("type").asText(), members, required,
                    node.path("member").path("shape").asText(null),
                    node.path("key").path("shape").asText(null),
                    node.path("value").path("shape").asText(null),
                    node.hasNonNull("min") ? node.get("min").asLong() : null,
                    node.hasNonNull("max") ? node.get("max").asLong() : null,
                    compile(patternText), patternText, enumValues, node.path("sensitive").asBoolean(false));
        }

        private static Pattern compile(String pattern) {
            if (pattern == null) {
                return null;
            }
            try {
                return Pattern.compile(pattern);
            } catch (PatternSyntaxException notJavaRegex) {
                // A few model patterns use syntax Java lacks; the length limits still apply to them.
                return null;
            }
        }
    }
}
