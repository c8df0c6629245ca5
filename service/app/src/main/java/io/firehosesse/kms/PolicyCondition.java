package io.firehosesse.kms;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * One condition of a key policy statement: an operator (with its optional {@code ForAnyValue:} /
 * {@code ForAllValues:} prefix and {@code IfExists} suffix), one condition key, and the values it allows.
 * Every value is checked when the policy is read, so an operator or value this KMS could not evaluate is
 * refused at CreateKey/PutKeyPolicy rather than ignored when a call is judged.
 */
record PolicyCondition(String operator, Operator base, SetQualifier qualifier, boolean ifExists, String key,
                       List<String> values) {

    enum SetQualifier { SINGLE, FOR_ANY_VALUE, FOR_ALL_VALUES }

    /**
     * The base operators. A negated operator is true for a missing key (IAM: "the condition is true when the key
     * is absent and the policy requires that it not match").
     */
    enum Operator {
        StringEquals(false), StringNotEquals(true), StringEqualsIgnoreCase(false), StringNotEqualsIgnoreCase(true),
        StringLike(false), StringNotLike(true),
        NumericEquals(false), NumericNotEquals(true), NumericLessThan(false), NumericLessThanEquals(false),
        NumericGreaterThan(false), NumericGreaterThanEquals(false),
        DateEquals(false), DateNotEquals(true), DateLessThan(false), DateLessThanEquals(false),
        DateGreaterThan(false), DateGreaterThanEquals(false),
        Bool(false), IpAddress(false), NotIpAddress(true),
        ArnEquals(false), ArnLike(false), ArnNotEquals(true), ArnNotLike(true),
        Null(false);

        final boolean negated;

        Operator(boolean negated) {
            this.negated = negated;
        }
    }

    private static final String FOR_ANY = "ForAnyValue:";
    private static final String FOR_ALL = "ForAllValues:";
    private static final String IF_EXISTS = "IfExists";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern EPOCH = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final Set<String> OPERATOR_NAMES = names();

    /** Reads one operator/key/values triple, or refuses it with MalformedPolicyDocumentException. */
    static PolicyCondition parse(String operator, String key, List<String> values) {
        String rest = operator;
        SetQualifier qualifier = SetQualifier.SINGLE;
        if (rest.startsWith(FOR_ANY)) {
            qualifier = SetQualifier.FOR_ANY_VALUE;
            rest = rest.substring(FOR_ANY.length());
        } else if (rest.startsWith(FOR_ALL)) {
            qualifier = SetQualifier.FOR_ALL_VALUES;
            rest = rest.substring(FOR_ALL.length());
        }
        boolean ifExists = rest.endsWith(IF_EXISTS);
        if (ifExists) {
            rest = rest.substring(0, rest.length() - IF_EXISTS.length());
        }
        if (!OPERATOR_NAMES.contains(rest)) {
            throw KeyPolicy.malformed("The condition operator " + operator + " is not supported.");
        }
        Operator base = Operator.valueOf(rest);
        if (base == Operator.Null && (ifExists || qualifier != SetQualifier.SINGLE)) {
            throw KeyPolicy.malformed("The condition operator " + operator + " is not supported: Null takes neither"
                    + " IfExists nor a set qualifier.");
        }
        if (key.isBlank()) {
            throw KeyPolicy.malformed("The condition operator " + operator + " names an empty condition key.");
        }
        if (values.isEmpty()) {
            throw KeyPolicy.malformed("The condition " + operator + " on " + key + " has no values.");
        }
        for (String value : values) {
            if (!validValue(base, value)) {
                throw KeyPolicy.malformed("The condition " + operator + " on " + key + " has an invalid value: " + value);
            }
        }
        return new PolicyCondition(operator, base, qualifier, ifExists, key, List.copyOf(values));
    }

    /** Whether the condition holds for a request whose context maps lower-cased keys to their values. */
    boolean holds(Map<String, List<String>> context) {
        List<String> actual = context.get(key.toLowerCase(Locale.ROOT));
        boolean present = actual != null && !actual.isEmpty();
        if (base == Operator.Null) {
            return values.stream().anyMatch(v -> Boolean.parseBoolean(v) != present);
        }
        if (!present) {
            return switch (qualifier) {
                // IAM: ForAllValues is true for an absent or empty key (every one of no values matches).
                case FOR_ALL_VALUES -> true;
                case FOR_ANY_VALUE -> ifExists;
                case SINGLE -> ifExists || base.negated;
            };
        }
        return switch (qualifier) {
            case FOR_ALL_VALUES -> actual.stream().allMatch(this::matchesOne);
            case FOR_ANY_VALUE, SINGLE -> actual.stream().anyMatch(this::matchesOne);
        };
    }

    /** One request value against the condition's values: any of them for a positive operator, none for a negated one. */
    private boolean matchesOne(String actual) {
        BiPredicate<String, String> positive = positiveTest();
        boolean any = values.stream().anyMatch(expected -> positive.test(actual, expected));
        return base.negated != any;
    }

    private BiPredicate<String, String> positiveTest() {
        return switch (base) {
            case StringEquals, StringNotEquals -> String::equals;
            case StringEqualsIgnoreCase, StringNotEqualsIgnoreCase -> String::equalsIgnoreCase;
            case StringLike, StringNotLike -> (a, e) -> KeyPolicy.wildcard(e, false).matcher(a).matches();
            case NumericEquals, NumericNotEquals -> numeric(c -> c == 0);
            case NumericLessThan -> numeric(c -> c < 0);
            case NumericLessThanEquals -> numeric(c -> c <= 0);
            case NumericGreaterThan -> numeric(c -> c > 0);
            case NumericGreaterThanEquals -> numeric(c -> c >= 0);
            case DateEquals, DateNotEquals -> date(c -> c == 0);
            case DateLessThan -> date(c -> c < 0);
            case DateLessThanEquals -> date(c -> c <= 0);
            case DateGreaterThan -> date(c -> c > 0);
            case DateGreaterThanEquals -> date(c -> c >= 0);
            case Bool -> (a, e) -> a.equalsIgnoreCase(e);
            case IpAddress, NotIpAddress -> (a, e) -> inRange(a, e);
            case ArnEquals, ArnLike, ArnNotEquals, ArnNotLike -> PolicyCondition::arnMatches;
            case Null -> (a, e) -> false;
        };
    }

    /** A request value that is not a number matches nothing, as in IAM. */
    private static BiPredicate<String, String> numeric(IntPredicate comparison) {
        return (a, e) -> {
            BigDecimal actual = number(a);
            return actual != null && comparison.test(actual.compareTo(number(e)));
        };
    }

    private static BiPredicate<String, String> date(IntPredicate comparison) {
        return (a, e) -> {
            Instant actual = instant(a);
            return actual != null && comparison.test(actual.compareTo(instant(e)));
        };
    }

    private static boolean validValue(Operator base, String value) {
        return switch (base) {
            case NumericEquals, NumericNotEquals, NumericLessThan, NumericLessThanEquals, NumericGreaterThan,
                 NumericGreaterThanEquals -> number(value) != null;
            case DateEquals, DateNotEquals, DateLessThan, DateLessThanEquals, DateGreaterThan,
                 DateGreaterThanEquals -> instant(value) != null;
            case Bool, Null -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
            case IpAddress, NotIpAddress -> cidr(value) != null;
            default -> true;
        };
    }

    static BigDecimal number(String value) {
        try {
            return new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** ISO 8601 (a date, a local date-time read as UTC, or one with an offset) or epoch seconds, as IAM reads dates. */
    static Instant instant(String value) {
        String v = value.trim();
        try {
            if (EPOCH.matcher(v).matches()) {
                BigDecimal seconds = new BigDecimal(v);
                BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
                return Instant.ofEpochSecond(whole.longValueExact(), seconds.subtract(whole).movePointRight(9).intValue());
            }
            if (v.contains("T")) {
                return v.endsWith("Z") || v.matches(".*[+-]\\d\\d:\\d\\d$")
                        ? OffsetDateTime.parse(v).toInstant()
                        : LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
            }
            return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeException | ArithmeticException outOfRangeOrNotADate) {
            return null;
        }
    }

    /** An address range: the address bytes and the prefix length; null when the text is not an IP or a CIDR. */
    record Cidr(byte[] address, int prefix) {

        boolean contains(byte[] candidate) {
            if (candidate.length != address.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((candidate[bit / 8] & mask) != (address[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    static Cidr cidr(String value) {
        String v = value.trim();
        int slash = v.indexOf('/');
        byte[] address = ipLiteral(slash < 0 ? v : v.substring(0, slash));
        if (address == null) {
            return null;
        }
        int max = address.length * 8;
        if (slash < 0) {
            return new Cidr(address, max);
        }
        String prefix = v.substring(slash + 1);
        if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > max) {
            return null;
        }
        return new Cidr(address, Integer.parseInt(prefix));
    }

    /**
     * The bytes of an IPv4 or IPv6 literal. Only literals reach {@link InetAddress#getByName}, which then
     * parses without a DNS lookup: a host name in a policy must never make this KMS resolve names.
     */
    static byte[] ipLiteral(String text) {
        boolean v4 = IPV4.matcher(text).matches();
        // Starting with a hex digit or a colon keeps getByName on its literal parser (it would look anything else up).
        boolean v6 = text.indexOf(':') >= 0 && text.matches("[0-9A-Fa-f:][0-9A-Fa-f:.]*");
        if (!v4 && !v6) {
            return null;
        }
        if (v4) {
            for (String part : text.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return null;
                }
            }
        }
        try {
            byte[] bytes = InetAddress.getByName(text).getAddress();
            // An IPv4-mapped IPv6 literal comes back as IPv4 bytes; a v6 range must not match it by accident.
            return v6 && bytes.length == 4 ? null : bytes;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean inRange(String actual, String range) {
        byte[] address = ipLiteral(actual.trim());
        Cidr cidr = cidr(range);
        return address != null && cidr != null && cidr.contains(address);
    }

    /** IAM compares the six colon-separated parts of an ARN one by one, each with the * and ? wildcards. */
    private static boolean arnMatches(String actual, String pattern) {
        String[] a = actual.split(":", 6);
        String[] p = pattern.split(":", 6);
        if (p.length == 1 && pattern.equals("*")) {
            return true;
        }
        if (a.length != 6 || p.length != 6) {
            return false;
        }
        for (int i = 0; i < 6; i++) {
            if (!KeyPolicy.wildcard(p[i], false).matcher(a[i]).matches()) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> names() {
        Set<String> names = new java.util.HashSet<>();
        for (Operator operator : Operator.values()) {
            names.add(operator.name());
        }
        return Set.copyOf(names);
    }
}
