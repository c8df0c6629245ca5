package io.firehosesse.awsjson;

import com.fasterxml.jackson.databind.JsonNode;
import io.firehosesse.awsjson.AwsServiceModel.Shape;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Checks a request body against its input shape the way AWS's front end does: a value of the wrong
 * JSON type is a {@code SerializationException}; a value that breaks a modelled constraint (required,
 * length, range, pattern, enum) is a {@code ValidationException} listing every violation in Coral's
 * words, e.g. {@code Value 'x y' at 'deliveryStreamName' failed to satisfy constraint: ...}.
 */
final class ShapeValidator {

    private final AwsServiceModel model;

    ShapeValidator(AwsServiceModel model) {
        this.model = model;
    }

    void validate(String inputShape, JsonNode input) {
        List<String> violations = new ArrayList<>();
        check(model.shape(inputShape), input, "", violations);
        if (!violations.isEmpty()) {
            String count = violations.size() == 1 ? "1 validation error" : violations.size() + " validation errors";
            throw AwsErrorException.validation(count + " detected: " + String.join("; ", violations));
        }
    }

    private void check(Shape shape, JsonNode value, String path, List<String> violations) {
        switch (shape.type()) {
            case "structure" -> checkStructure(shape, value, path, violations);
            case "list" -> checkList(shape, value, path, violations);
            case "map" -> checkMap(shape, value, path, violations);
            case "string" -> checkString(shape, value, path, violations);
            case "integer", "long" -> checkInteger(shape, value, path, violations);
            case "double", "float" -> {
                if (!value.isNumber()) {
                    throw wrongType(path, "a number");
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    throw wrongType(path, "a boolean");
                }
            }
            case "blob" -> checkBlob(shape, value, path, violations);
            case "timestamp" -> {
                if (!value.isNumber() && !value.isTextual()) {
                    throw wrongType(path, "a timestamp");
                }
            }
            default -> {
                // Shapes without constraints of their own (documents) pass as they are.
            }
        }
    }

    private void checkStructure(Shape shape, JsonNode value, String path, List<String> violations) {
        if (!value.isObject()) {
            throw wrongType(path, "an object");
        }
        for (Map.Entry<String, String> member : shape.members().entrySet()) {
            JsonNode memberValue = value.get(member.getKey());
            String memberPath = path.isEmpty() ? lowerFirst(member.getKey()) : path + "." + lowerFirst(member.getKey());
            if (memberValue == null || memberValue.isNull()) {
                if (shape.required().contains(member.getKey())) {
                    violations.add("Value null at '" + memberPath + "' failed to satisfy constraint: Member must not be null");
                }
            } else {
                check(model.shape(member.getValue()), memberValue, memberPath, violations);
            }
        }
    }

    private void checkList(Shape shape, JsonNode value, String path, List<String> violations) {
        if (!value.isArray()) {
            throw wrongType(path, "a list");
        }
        checkLength(shape, value.size(), () -> "'" + render(value) + "'", path, violations);
        Shape member = model.shape(shape.memberShape());
        for (int i = 0; i < value.size(); i++) {
            if (value.get(i).isNull()) {
                violations.add("Value null at '" + path + "." + (i + 1) + ".member' failed to satisfy constraint: Member must not be null");
            } else {
                check(member, value.get(i), path + "." + (i + 1) + ".member", violations);
            }
        }
    }

    private void checkMap(Shape shape, JsonNode value, String path, List<String> violations) {
        if (!value.isObject()) {
            throw wrongType(path, "a map");
        }
        checkLength(shape, value.size(), () -> "'" + render(value) + "'", path, violations);
        Iterator<Map.Entry<String, JsonNode>> entries = value.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            if (shape.keyShape() != null) {
                check(model.shape(shape.keyShape()), com.fasterxml.jackson.databind.node.TextNode.valueOf(entry.getKey()),
                        path + ".entry.key", violations);
            }
            if (shape.valueShape() != null && !entry.getValue().isNull()) {
                check(model.shape(shape.valueShape()), entry.getValue(), path + ".entry.value", violations);
            }
        }
    }

    private void checkString(Shape shape, JsonNode value, String path, List<String> violations) {
        if (!value.isTextual()) {
            throw wrongType(path, "a string");
        }
        String text = value.asText();
        String shown = shape.sensitive() ? "'***'" : "'" + text + "'";
        if (shape.enumValues() != null && !shape.enumValues().contains(text)) {
            violations.add("Value " + shown + " at '" + path + "' failed to satisfy constraint: Member must satisfy enum value set: "
                    + shape.enumValues());
            return;
        }
        int length = text.codePointCount(0, text.length());
        checkLength(shape, length, () -> shown, path, violations);
        if (shape.pattern() != null && !shape.pattern().matcher(text).matches()) {
            violations.add("Value " + shown + " at '" + path
                    + "' failed to satisfy constraint: Member must satisfy regular expression pattern: " + shape.patternText());
        }
    }

    private void checkInteger(Shape shape, JsonNode value, String path, List<String> violations) {
        if (!value.isIntegralNumber()) {
            throw wrongType(path, "an integer");
        }
        // Compared whole: asLong() would wrap 2^64 + 5 round to 5 and let it through as in range.
        BigInteger number = value.bigIntegerValue();
        boolean outOfRange = false;
        if (shape.min() != null && number.compareTo(BigInteger.valueOf(shape.min())) < 0) {
            violations.add("Value '" + number + "' at '" + path
                    + "' failed to satisfy constraint: Member must have value greater than or equal to " + shape.min());
            outOfRange = true;
        }
        if (shape.max() != null && number.compareTo(BigInteger.valueOf(shape.max())) > 0) {
            violations.add("Value '" + number + "' at '" + path
                    + "' failed to satisfy constraint: Member must have value less than or equal to " + shape.max());
            outOfRange = true;
        }
        boolean fits = shape.type().equals("long") ? value.canConvertToLong() : value.canConvertToInt();
        if (!outOfRange && !fits) {
            throw AwsErrorException.serialization("Value at '" + path + "' is out of range for " + shape.type() + ".");
        }
    }

    /** 1 for each ASCII character outside the basic base64 alphabet ('=' included: it may only end the text). */
    private static final byte[] NOT_BASE64 = new byte[128];

    static {
        Arrays.fill(NOT_BASE64, (byte) 1);
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".chars().forEach(c -> NOT_BASE64[c] = 0);
    }

    /**
     * The decoded size of base64 text, or -1 if it is not what Java's basic decoder accepts (its alphabet, at most
     * two '=' at the end, padding optional): counted, not decoded, as binding decodes every blob once anyway.
     */
    static int base64Length(String text) {
        int end = text.length();
        int padding = 0;
        while (end > 0 && text.charAt(end - 1) == '=' && padding < 2) {
            end--;
            padding++;
        }
        // Branch-free over the text: a PutRecordBatch brings ~700,000 base64 characters, and a test per character
        // that branches on which range it falls in mispredicted on random data (a quarter of a put's CPU).
        int outside = 0;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            outside |= (c >>> 7) | NOT_BASE64[c & 0x7f];
        }
        if (outside != 0) {
            return -1;
        }
        if (end % 4 == 1 || (padding > 0 && (end + padding) % 4 != 0)) {
            return -1;
        }
        return (int) ((long) end * 6 / 8);
    }

    private void checkBlob(Shape shape, JsonNode value, String path, List<String> violations) {
        if (!value.isTextual()) {
            throw wrongType(path, "a base64 string");
        }
        int size = base64Length(value.asText());
        if (size < 0) {
            throw AwsErrorException.serialization("Value at '" + path + "' is not valid base64.");
        }
        // AWS shows a Java buffer's toString() here; a size says the same without naming a Java type.
        checkLength(shape, size, () -> "of " + size + " bytes", path, violations);
    }

    /**
     * {@code shown} (the value as a message shows it: quoted text, or a blob's size) is rendered only for a violation:
     * a whole PutRecordBatch rendered per request cost more than the put.
     */
    private static void checkLength(Shape shape, long length, Supplier<String> shown, String path, List<String> violations) {
        if (shape.min() != null && length < shape.min()) {
            violations.add("Value " + shown.get() + " at '" + path
                    + "' failed to satisfy constraint: Member must have length greater than or equal to " + shape.min());
        }
        if (shape.max() != null && length > shape.max()) {
            violations.add("Value " + shown.get() + " at '" + path
                    + "' failed to satisfy constraint: Member must have length less than or equal to " + shape.max());
        }
    }

    private static String render(JsonNode value) {
        String text = value.toString();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private static AwsErrorException wrongType(String path, String expected) {
        String where = path.isEmpty() ? "the request body" : "'" + path + "'";
        return AwsErrorException.serialization("Expected " + expected + " at " + where + ".");
    }

    static String lowerFirst(String memberName) {
        return Character.toLowerCase(memberName.charAt(0)) + memberName.substring(1);
    }
}
