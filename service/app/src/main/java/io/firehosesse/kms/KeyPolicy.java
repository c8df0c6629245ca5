package io.firehosesse.kms;

import io.firehosesse.api.AwsPartitions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A key policy, evaluated with IAM's logic: an explicit {@code Deny} that applies refuses the call, otherwise an
 * {@code Allow} that applies permits it, otherwise the call is refused (implicit deny). A statement applies when
 * its Principal/NotPrincipal, Action/NotAction, Resource/NotResource and every Condition match the request.
 *
 * <p>There is no IAM here, so a statement naming an account (its id or its {@code :root} ARN) as Principal is read
 * as KMS reads it with IAM behind: every principal of that account, whose IAM policies (absent here) are taken to
 * allow the call. A document with an element, operator or value this KMS cannot evaluate is refused when it is
 * stored (MalformedPolicyDocumentException naming it), so nothing in a stored policy is ever skipped.
 */
final class KeyPolicy {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> VERSIONS = Set.of("2012-10-17", "2008-10-17");
    private static final Set<String> DOCUMENT_ELEMENTS = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_ELEMENTS = Set.of("Sid", "Effect", "Principal", "NotPrincipal",
            "Action", "NotAction", "Resource", "NotResource", "Condition");
    private static final Set<String> PRINCIPAL_TYPES = Set.of("AWS", "Service", "Federated", "CanonicalUser");
    private static final Pattern ACTION = Pattern.compile("\\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

    /** What the policy says about one request. */
    enum Decision { ALLOW, EXPLICIT_DENY, IMPLICIT_DENY }

    /** One statement, read and checked. A "Not" element matches what its list does not. */
    record Statement(String sid, boolean allow, Map<String, List<String>> principals, boolean notPrincipal,
                     List<String> actions, boolean notAction, List<String> resources, boolean notResource,
                     List<PolicyCondition> conditions) {

        boolean appliesTo(Request request, Map<String, List<String>> context) {
            return notPrincipal != principalListed(principals, request.caller())
                    && notAction != actions.stream().anyMatch(a -> wildcard(a, true).matcher(request.action()).matches())
                    && notResource != resources.stream().anyMatch(r -> wildcard(r, false).matcher(request.keyArn()).matches())
                    && conditions.stream().allMatch(c -> c.holds(context));
        }

        /**
         * Positive Principal: any listed value that names the caller. NotPrincipal: IAM excludes a request only when
         * every identity it carries (the user or role session, the role, the account, the acting service) is listed,
         * which is why a Deny with NotPrincipal must list the account too.
         */
        private boolean principalListed(Map<String, List<String>> listed, KmsCaller caller) {
            List<String> aws = listed.getOrDefault("AWS", List.of());
            List<String> services = listed.getOrDefault("Service", List.of());
            if (!notPrincipal) {
                return aws.stream().anyMatch(value -> awsPrincipalMatches(value, caller))
                        || caller.servicePrincipal() != null && services.contains(caller.servicePrincipal());
            }
            if (aws.contains("*")) {
                return true;
            }
            String root = accountRoot(caller);
            for (String identity : identities(caller)) {
                boolean isListed = identity.equals(root)
                        ? aws.contains(root) || aws.contains(caller.accountId())
                        : aws.contains(identity) || services.contains(identity);
                if (!isListed) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The facts of one request that a statement can test. */
    record Request(String action, KmsCaller caller, String keyArn, boolean grantIsForAwsResource, Instant now,
                   Map<String, String> encryptionContext) {

        Request(String action, KmsCaller caller, String keyArn, boolean grantIsForAwsResource, Instant now) {
            this(action, caller, keyArn, grantIsForAwsResource, now, null);
        }

        /** Condition keys (lower-cased, as IAM compares key names without case) and their values. */
        Map<String, List<String>> conditionKeys() {
            Map<String, List<String>> keys = new HashMap<>();
            keys.put("kms:calleraccount", List.of(caller.accountId()));
            keys.put("aws:principalaccount", List.of(caller.accountId()));
            // IAM puts a role session's role here, not the session (so policies can name roles, not sessions).
            String principal = caller.effectivePrincipal();
            String role = roleOfSession(principal);
            keys.put("aws:principalarn", List.of(role != null ? role : principal));
            keys.put("kms:grantisforawsresource", List.of(Boolean.toString(grantIsForAwsResource)));
            keys.put("aws:currenttime", List.of(now.toString()));
            keys.put("aws:epochtime", List.of(Long.toString(now.getEpochSecond())));
            if (caller.viaService() != null) {
                keys.put("kms:viaservice", List.of(caller.viaService()));
            }
            if (caller.servicePrincipal() != null) {
                keys.put("aws:principalservicename", List.of(caller.servicePrincipal()));
            }
            if (caller.sourceIp() != null) {
                keys.put("aws:sourceip", List.of(caller.sourceIp()));
            }
            // A request without an encryption context has neither key, so conditions on them see them absent.
            if (encryptionContext != null && !encryptionContext.isEmpty()) {
                keys.put("kms:encryptioncontextkeys", List.copyOf(new java.util.TreeSet<>(encryptionContext.keySet())));
                // A JSON null value reaches here as null; it is compared as the empty string, never dropped.
                encryptionContext.forEach((key, value) -> keys.put("kms:encryptioncontext:"
                        + key.toLowerCase(java.util.Locale.ROOT), List.of(value == null ? "" : value)));
            }
            return keys;
        }
    }

    private final List<Statement> statements;

    private KeyPolicy(List<Statement> statements) {
        this.statements = statements;
    }

    /** Reads and checks a policy document, or answers MalformedPolicyDocumentException naming what is wrong. */
    static KeyPolicy parse(String document) {
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (IOException e) {
            throw malformed("The key policy is not valid JSON.");
        }
        if (root == null || !root.isObject()) {
            throw malformed("The key policy must be a JSON object.");
        }
        requireKnown(root, DOCUMENT_ELEMENTS, "the policy");
        JsonNode version = root.get("Version");
        if (version != null && !(version.isTextual() && VERSIONS.contains(version.asText()))) {
            throw malformed("The policy Version must be 2012-10-17 or 2008-10-17.");
        }
        JsonNode statement = root.get("Statement");
        if (statement == null) {
            throw malformed("The key policy has no Statement.");
        }
        List<JsonNode> nodes = new ArrayList<>();
        if (statement.isArray()) {
            statement.forEach(nodes::add);
        } else {
            nodes.add(statement);
        }
        if (nodes.isEmpty()) {
            throw malformed("The key policy's Statement is empty.");
        }
        List<Statement> statements = new ArrayList<>();
        for (JsonNode node : nodes) {
            statements.add(statement(node));
        }
        return new KeyPolicy(List.copyOf(statements));
    }

    /**
     * A stored key policy, read for a call. A policy stored before this KMS refused what it cannot evaluate may no
     * longer read; failing open is never an option, and failing every call would leave the key beyond repair, so
     * such a key allows only its account's root user to read and replace its policy.
     */
    static KeyPolicy stored(String document) {
        try {
            return parse(document);
        } catch (KmsException unreadable) {
            return REPAIR_ONLY;
        }
    }

    private static final KeyPolicy REPAIR_ONLY = parse("""
            {"Version":"2012-10-17","Statement":[{"Sid":"Repair an unreadable policy","Effect":"Allow","Principal":"*",
            "Action":["kms:GetKeyPolicy","kms:PutKeyPolicy"],"Resource":"*",
            "Condition":{"ArnLike":{"aws:PrincipalArn":"arn:*:iam::*:root"}}}]}""");

    Decision evaluate(Request request) {
        boolean allowed = false;
        Map<String, List<String>> context = request.conditionKeys();
        for (Statement statement : statements) {
            if (statement.appliesTo(request, context)) {
                if (!statement.allow()) {
                    return Decision.EXPLICIT_DENY;
                }
                allowed = true;
            }
        }
        return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }

    private static Statement statement(JsonNode node) {
        if (!node.isObject()) {
            throw malformed("Each Statement must be a JSON object.");
        }
        requireKnown(node, STATEMENT_ELEMENTS, "a Statement");
        String sid = node.path("Sid").isMissingNode() ? null : text(node.get("Sid"), "Sid");
        String effect = node.path("Effect").asText("");
        if (!node.path("Effect").isTextual() || !effect.equals("Allow") && !effect.equals("Deny")) {
            throw malformed("Each statement's Effect must be Allow or Deny.");
        }
        String principalElement = exactlyOne(node, "Principal", "NotPrincipal", true);
        String actionElement = exactlyOne(node, "Action", "NotAction", true);
        String resourceElement = exactlyOne(node, "Resource", "NotResource", false);
        List<String> actions = strings(node.get(actionElement), actionElement);
        for (String action : actions) {
            if (!ACTION.matcher(action).matches()) {
                throw malformed("The " + actionElement + " " + action + " is not an action (service:Action or *).");
            }
        }
        List<String> resources = resourceElement == null ? List.of("*") : strings(node.get(resourceElement), resourceElement);
        for (String resource : resources) {
            if (!resource.equals("*") && !resource.startsWith("arn:")) {
                throw malformed("The " + resourceElement + " " + resource + " is not * or an ARN.");
            }
        }
        return new Statement(sid, effect.equals("Allow"), principals(node.get(principalElement), principalElement),
                principalElement.equals("NotPrincipal"), actions, actionElement.equals("NotAction"), resources,
                "NotResource".equals(resourceElement), conditions(node.get("Condition")));
    }

    private static Map<String, List<String>> principals(JsonNode node, String element) {
        if (node.isTextual()) {
            if (!node.asText().equals("*")) {
                throw malformed("The " + element + " must be \"*\" or an object such as {\"AWS\": ...}.");
            }
            return Map.of("AWS", List.of("*"));
        }
        if (!node.isObject()) {
            throw malformed("The " + element + " must be \"*\" or an object such as {\"AWS\": ...}.");
        }
        requireKnown(node, PRINCIPAL_TYPES, "the " + element);
        Map<String, List<String>> principals = new HashMap<>();
        node.fields().forEachRemaining(entry -> principals.put(entry.getKey(),
                strings(entry.getValue(), element + " " + entry.getKey())));
        for (String aws : principals.getOrDefault("AWS", List.of())) {
            if (!aws.equals("*") && !ACCOUNT_ID.matcher(aws).matches() && !aws.startsWith("arn:") || partlyWild(aws)) {
                throw malformed("Policy contains a statement with one or more invalid principals: " + aws);
            }
        }
        for (String service : principals.getOrDefault("Service", List.of())) {
            if (service.isBlank() || service.contains("*") || service.contains("?")) {
                throw malformed("Policy contains a statement with one or more invalid principals: " + service);
            }
        }
        return Map.copyOf(principals);
    }

    /**
     * IAM matches a principal only whole ("*") or exactly: a wildcard inside an ARN would match nothing, so a Deny
     * written with one would silently never apply. Refused, as KMS refuses it.
     */
    private static boolean partlyWild(String principal) {
        return !principal.equals("*") && (principal.contains("*") || principal.contains("?"));
    }

    private static List<PolicyCondition> conditions(JsonNode node) {
        if (node == null) {
            return List.of();
        }
        if (!node.isObject()) {
            throw malformed("The Condition must be an object of operators.");
        }
        List<PolicyCondition> conditions = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> operators = node.fields();
        while (operators.hasNext()) {
            Map.Entry<String, JsonNode> operator = operators.next();
            if (!operator.getValue().isObject() || operator.getValue().isEmpty()) {
                throw malformed("The condition operator " + operator.getKey() + " must map condition keys to values.");
            }
            operator.getValue().fields().forEachRemaining(key -> conditions.add(PolicyCondition.parse(
                    operator.getKey(), key.getKey(), conditionValues(key.getValue(), operator.getKey()))));
        }
        return List.copyOf(conditions);
    }

    /** Condition values may be strings, numbers or booleans (IAM reads them all as text), alone or in a list. */
    private static List<String> conditionValues(JsonNode node, String operator) {
        List<String> values = new ArrayList<>();
        for (JsonNode value : node.isArray() ? node : List.of(node)) {
            if (!value.isValueNode() || value.isNull()) {
                throw malformed("The condition " + operator + " has a value that is not a string, number or boolean.");
            }
            values.add(value.asText());
        }
        return values;
    }

    private static String exactlyOne(JsonNode node, String element, String notElement, boolean required) {
        boolean has = node.has(element);
        boolean hasNot = node.has(notElement);
        if (has && hasNot) {
            throw malformed("A statement cannot have both " + element + " and " + notElement + ".");
        }
        if (!has && !hasNot && required) {
            throw malformed("Each statement needs a " + element + " or a " + notElement + ".");
        }
        return has ? element : hasNot ? notElement : null;
    }

    private static void requireKnown(JsonNode node, Set<String> known, String where) {
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                throw malformed("The policy element " + name + " in " + where + " is not supported.");
            }
        });
    }

    private static String text(JsonNode node, String element) {
        if (!node.isTextual()) {
            throw malformed("The " + element + " must be a string.");
        }
        return node.asText();
    }

    /** A string or a list of strings, as IAM accepts for every list-valued element. */
    private static List<String> strings(JsonNode node, String element) {
        List<String> values = new ArrayList<>();
        for (JsonNode value : node.isArray() ? node : List.of(node)) {
            values.add(text(value, element));
        }
        return List.copyOf(values);
    }

    /** Principal matching: "*", the caller's ARN (or its role, for a role session), or the caller's account. */
    private static boolean awsPrincipalMatches(String value, KmsCaller caller) {
        return value.equals("*") || value.equals(caller.accountId()) || value.equals(accountRoot(caller))
                || identities(caller).contains(value);
    }

    private static String accountRoot(KmsCaller caller) {
        return "arn:" + AwsPartitions.of(caller.region()) + ":iam::" + caller.accountId() + ":root";
    }

    /** Every identity a request carries: the principal, its role for an assumed-role session, the account, the service. */
    private static List<String> identities(KmsCaller caller) {
        List<String> identities = new ArrayList<>();
        String principal = caller.effectivePrincipal();
        identities.add(principal);
        String role = roleOfSession(principal);
        if (role != null) {
            identities.add(role);
        }
        String root = accountRoot(caller);
        if (!identities.contains(root)) {
            identities.add(root);
        }
        if (caller.servicePrincipal() != null) {
            identities.add(caller.servicePrincipal());
        }
        return identities;
    }

    /** arn:aws:sts::123456789012:assumed-role/Name/session is a session of arn:aws:iam::123456789012:role/Name. */
    private static String roleOfSession(String arn) {
        String[] parts = arn.split(":", 6);
        if (parts.length != 6 || !parts[2].equals("sts") || !parts[5].startsWith("assumed-role/")) {
            return null;
        }
        String[] path = parts[5].split("/");
        return path.length < 3 ? null
                : "arn:" + parts[1] + ":iam::" + parts[4] + ":role/" + path[1];
    }

    /** IAM's * and ? wildcards; action names compare without case, ARNs and condition values with it. */
    static Pattern wildcard(String pattern, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0));
    }

    static KmsException malformed(String message) {
        return new KmsException("MalformedPolicyDocumentException", message);
    }
}
