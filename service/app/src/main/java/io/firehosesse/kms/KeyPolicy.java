package io.firehosesse.kms;

import io.firehosesse.api.AwsPartitions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A key policy, read for what this KMS enforces: explicit {@code Deny} statements. A Deny refuses a
 * call when its principal matches the caller (or is {@code *}), its action matches the KMS action
 * (with IAM's {@code *} and {@code ?} wildcards), and every condition holds. Allows are not evaluated:
 * without IAM, everything a policy does not deny is allowed.
 */
final class KeyPolicy {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> statements;

    private KeyPolicy(List<JsonNode> statements) {
        this.statements = statements;
    }

    /** Parses a policy document, or answers MalformedPolicyDocumentException as KMS does. */
    static KeyPolicy parse(String document) {
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (IOException e) {
            throw malformed("The key policy is not valid JSON.");
        }
        if (root == null || !root.isObject() || !root.has("Statement")) {
            throw malformed("The key policy must be a JSON object with a Statement.");
        }
        JsonNode statement = root.get("Statement");
        List<JsonNode> statements = new ArrayList<>();
        if (statement.isArray()) {
            statement.forEach(statements::add);
        } else if (statement.isObject()) {
            statements.add(statement);
        } else {
            throw malformed("Statement must be an object or a list of objects.");
        }
        for (JsonNode s : statements) {
            String effect = s.path("Effect").asText("");
            if (!effect.equals("Allow") && !effect.equals("Deny")) {
                throw malformed("Each statement's Effect must be Allow or Deny.");
            }
        }
        return new KeyPolicy(statements);
    }

    /** The facts of one request that a Deny statement can test. */
    record Request(String action, KmsCaller caller, boolean grantIsForAwsResource) {

        Map<String, String> conditionKeys() {
            Map<String, String> keys = new java.util.HashMap<>();
            keys.put("kms:calleraccount", caller.accountId());
            keys.put("aws:principalarn", caller.effectivePrincipal());
            keys.put("kms:grantisforawsresource", Boolean.toString(grantIsForAwsResource));
            if (caller.viaService() != null) {
                keys.put("kms:viaservice", caller.viaService());
            }
            return keys;
        }
    }

    boolean denies(Request request) {
        return statements.stream().anyMatch(s -> s.path("Effect").asText().equals("Deny")
                && principalMatches(s.get("Principal"), request.caller())
                && actionMatches(s.get("Action"), request.action())
                && conditionsHold(s.get("Condition"), request.conditionKeys()));
    }

    private static boolean principalMatches(JsonNode principal, KmsCaller caller) {
        if (principal == null) {
            return false;
        }
        if (principal.isTextual()) {
            return principal.asText().equals("*");
        }
        String account = "arn:" + AwsPartitions.of(caller.region()) + ":iam::" + caller.accountId() + ":root";
        for (String arn : values(principal.get("AWS"))) {
            if (arn.equals("*") || arn.equals(caller.effectivePrincipal()) || arn.equals(account)
                    || arn.equals(caller.accountId())) {
                return true;
            }
        }
        return caller.servicePrincipal() != null && values(principal.get("Service")).contains(caller.servicePrincipal());
    }

    private static boolean actionMatches(JsonNode action, String requested) {
        return values(action).stream().anyMatch(pattern -> wildcard(pattern, true).matcher(requested).matches());
    }

    private static boolean conditionsHold(JsonNode condition, Map<String, String> context) {
        if (condition == null) {
            return true;
        }
        var operators = condition.fields();
        while (operators.hasNext()) {
            var operator = operators.next();
            var keys = operator.getValue().fields();
            while (keys.hasNext()) {
                var key = keys.next();
                String actual = context.get(key.getKey().toLowerCase(Locale.ROOT));
                if (!holds(operator.getKey(), actual, values(key.getValue()))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean holds(String operator, String actual, List<String> expected) {
        boolean ifExists = operator.endsWith("IfExists");
        String op = ifExists ? operator.substring(0, operator.length() - "IfExists".length()) : operator;
        if (actual == null) {
            // IAM: a missing key satisfies only negated operators and ...IfExists.
            return ifExists || op.startsWith("StringNot") || op.equals("Null") && expected.contains("true");
        }
        return switch (op) {
            case "StringEquals", "Bool" -> expected.contains(actual);
            case "StringNotEquals" -> !expected.contains(actual);
            case "StringEqualsIgnoreCase" -> expected.stream().anyMatch(actual::equalsIgnoreCase);
            case "StringNotEqualsIgnoreCase" -> expected.stream().noneMatch(actual::equalsIgnoreCase);
            case "StringLike", "ArnLike", "ArnEquals" -> expected.stream().anyMatch(p -> wildcard(p, false).matcher(actual).matches());
            case "StringNotLike", "ArnNotLike", "ArnNotEquals" -> expected.stream().noneMatch(p -> wildcard(p, false).matcher(actual).matches());
            case "Null" -> expected.contains("false");
            default -> false;
        };
    }

    private static Pattern wildcard(String pattern, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
    }

    private static List<String> values(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node == null) {
            return values;
        }
        if (node.isArray()) {
            node.forEach(v -> values.add(v.asText()));
        } else {
            values.add(node.asText());
        }
        return values;
    }

    private static KmsException malformed(String message) {
        return new KmsException("MalformedPolicyDocumentException", message);
    }
}
