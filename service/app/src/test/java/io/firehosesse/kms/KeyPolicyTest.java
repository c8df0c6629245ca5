package io.firehosesse.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.kms.KeyPolicy.Decision;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KeyPolicyTest {

    static final String ACCOUNT = "123456789012";
    static final String KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final KmsCaller ANA = KmsCaller.direct(ACCOUNT, "us-east-1", "arn:aws:iam::123456789012:user/ana");
    static final KmsCaller BOB = KmsCaller.direct(ACCOUNT, "us-east-1", "arn:aws:iam::123456789012:user/bob");
    static final KmsCaller ROOT = KmsCaller.direct(ACCOUNT, "us-east-1", null);
    static final KmsCaller SESSION = KmsCaller.direct(ACCOUNT, "us-east-1",
            "arn:aws:sts::123456789012:assumed-role/app/session-1");
    static final KmsCaller FIREHOSE = KmsCaller.viaFirehose(ACCOUNT, "us-east-1", "arn:aws:iam::123456789012:user/ana");
    static final String ALLOW_ACCOUNT = """
            {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"}""";

    static Decision decide(String statements, String action, KmsCaller caller) {
        return decide(statements, action, caller, false);
    }

    static Decision decide(String statements, String action, KmsCaller caller, boolean forAwsResource) {
        return KeyPolicy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}")
                .evaluate(new KeyPolicy.Request(action, caller, KEY_ARN, forAwsResource, NOW));
    }

    /** A Deny statement next to the account's Allow: does it refuse the call? */
    static boolean denies(String deny, String action, KmsCaller caller) {
        return denies(deny, action, caller, false);
    }

    static boolean denies(String deny, String action, KmsCaller caller, boolean forAwsResource) {
        Decision decision = decide(ALLOW_ACCOUNT + "," + deny, action, caller, forAwsResource);
        assertThat(decision).isNotEqualTo(Decision.IMPLICIT_DENY);
        return decision == Decision.EXPLICIT_DENY;
    }

    // ---- IAM's evaluation logic

    @Test
    void theDefaultPolicyAllowsEveryPrincipalOfTheAccount() {
        KeyPolicy policy = KeyPolicy.parse(EmbeddedKms.defaultPolicy(ANA));

        for (KmsCaller caller : new KmsCaller[] {ANA, ROOT, SESSION, FIREHOSE}) {
            assertThat(policy.evaluate(new KeyPolicy.Request("kms:Decrypt", caller, KEY_ARN, false, NOW)))
                    .isEqualTo(Decision.ALLOW);
        }
    }

    @Test
    void whatNoStatementAllowsIsImplicitlyDenied() {
        assertThat(decide("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:user/bob\"},"
                + "\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}", "kms:Decrypt", ANA)).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Describe*\",\"Resource\":\"*\"}",
                "kms:Decrypt", ANA)).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:Encrypt\",\"Resource\":\"*\"}",
                "kms:Decrypt", ANA)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void anExplicitDenyBeatsAnyAllowWhateverTheOrder() {
        String deny = "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}";

        assertThat(decide(ALLOW_ACCOUNT + "," + deny, "kms:Decrypt", ANA)).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(decide(deny + "," + ALLOW_ACCOUNT, "kms:Decrypt", ANA)).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(decide(deny + "," + ALLOW_ACCOUNT, "kms:Encrypt", ANA)).isEqualTo(Decision.ALLOW);
    }

    @Test
    void aSingleStatementObjectAndTheOlderVersionAreAccepted() {
        KeyPolicy policy = KeyPolicy.parse("{\"Version\":\"2008-10-17\",\"Id\":\"x\",\"Statement\":{\"Sid\":\"one\","
                + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"123456789012\"]},\"Action\":[\"kms:Decrypt\"],\"Resource\":[\"*\"]}}");

        assertThat(policy.evaluate(new KeyPolicy.Request("kms:Decrypt", ANA, KEY_ARN, false, NOW))).isEqualTo(Decision.ALLOW);
    }

    // ---- actions

    @Test
    void actionsMatchWithIamWildcardsIgnoringCase() {
        String deny = "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":[\"kms:GenerateDataKey*\",\"kms:Re?ncrypt*\"],\"Resource\":\"*\"}";

        assertThat(denies(deny, "kms:GenerateDataKeyWithoutPlaintext", ANA)).isTrue();
        assertThat(denies(deny, "KMS:generatedatakey", ANA)).isTrue();
        assertThat(denies(deny, "kms:ReEncryptFrom", ANA)).isTrue();
        assertThat(denies(deny, "kms:Decrypt", ANA)).isFalse();
    }

    @Test
    void aNotActionDenyRefusesEverythingButTheActionsItLists() {
        String deny = "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"NotAction\":[\"kms:Describe*\",\"kms:Get*\"],\"Resource\":\"*\"}";

        assertThat(denies(deny, "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(deny, "kms:PutKeyPolicy", ANA)).isTrue();
        assertThat(denies(deny, "kms:DescribeKey", ANA)).isFalse();
        assertThat(denies(deny, "kms:GetKeyPolicy", ANA)).isFalse();
    }

    @Test
    void aNotActionAllowAllowsOnlyWhatItDoesNotList() {
        String allow = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"NotAction\":\"kms:ScheduleKeyDeletion\",\"Resource\":\"*\"}";

        assertThat(decide(allow, "kms:Decrypt", ANA)).isEqualTo(Decision.ALLOW);
        assertThat(decide(allow, "kms:ScheduleKeyDeletion", ANA)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    // ---- principals

    @Test
    void principalsMatchByArnAccountRoleOrService() {
        assertThat(denies("{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:user/ana\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}",
                "kms:Decrypt", ANA)).isTrue();
        assertThat(denies("{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:user/ana\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}",
                "kms:Decrypt", BOB)).isFalse();
        assertThat(denies("{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":[\"123456789012\"]},\"Action\":\"kms:*\",\"Resource\":\"*\"}",
                "kms:Decrypt", ANA)).isTrue();
        assertThat(denies("{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"arn:aws:iam::999999999999:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}",
                "kms:Decrypt", ANA)).isFalse();
        assertThat(denies("{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:role/app\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}",
                "kms:Decrypt", SESSION)).isTrue();
        assertThat(denies("{\"Effect\":\"Deny\",\"Principal\":{\"Service\":\"firehose.amazonaws.com\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}",
                "kms:Decrypt", ANA)).isFalse();
        assertThat(denies("{\"Effect\":\"Deny\",\"Principal\":{\"Service\":[\"firehose.amazonaws.com\"]},\"Action\":\"kms:*\",\"Resource\":\"*\"}",
                "kms:Decrypt", FIREHOSE)).isTrue();
    }

    @Test
    void aNotPrincipalDenyRefusesEveryoneItDoesNotList() {
        String deny = "{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":[\"arn:aws:iam::123456789012:user/ana\","
                + "\"arn:aws:iam::123456789012:root\"]},\"Action\":\"kms:*\",\"Resource\":\"*\"}";

        assertThat(denies(deny, "kms:Decrypt", ANA)).isFalse();
        assertThat(denies(deny, "kms:Decrypt", ROOT)).isFalse();
        assertThat(denies(deny, "kms:Decrypt", BOB)).isTrue();
        assertThat(denies(deny, "kms:Decrypt", SESSION)).isTrue();
    }

    @Test
    void aNotPrincipalDenyNamingOnlyTheUserStillDeniesIt() {
        // IAM: the request also carries the account, which must be listed for the user to be exempt.
        String deny = "{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::123456789012:user/ana\"},"
                + "\"Action\":\"kms:*\",\"Resource\":\"*\"}";

        assertThat(denies(deny, "kms:Decrypt", ANA)).isTrue();
    }

    @Test
    void aNotPrincipalDenyExemptsARoleSessionWhenItsRoleAndAccountAreListed() {
        String deny = "{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":[\"arn:aws:iam::123456789012:role/app\","
                + "\"arn:aws:sts::123456789012:assumed-role/app/session-1\",\"123456789012\"]},\"Action\":\"kms:*\",\"Resource\":\"*\"}";

        assertThat(denies(deny, "kms:Decrypt", SESSION)).isFalse();
        assertThat(denies(deny, "kms:Decrypt", ANA)).isTrue();
    }

    // ---- resources

    @Test
    void resourcesMatchTheKeyArnWithWildcards() {
        assertThat(decide("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"" + KEY_ARN + "\"}",
                "kms:Decrypt", ANA)).isEqualTo(Decision.ALLOW);
        assertThat(decide("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"arn:aws:kms:*:123456789012:key/*\"}",
                "kms:Decrypt", ANA)).isEqualTo(Decision.ALLOW);
        assertThat(decide("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"arn:aws:kms:*:999999999999:key/*\"}",
                "kms:Decrypt", ANA)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void aNotResourceDenyRefusesEveryKeyItDoesNotList() {
        assertThat(denies("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"NotResource\":\"arn:aws:kms:*:*:key/other\"}",
                "kms:Decrypt", ANA)).isTrue();
        assertThat(denies("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"NotResource\":\"" + KEY_ARN + "\"}",
                "kms:Decrypt", ANA)).isFalse();
    }

    // ---- conditions: the keys this KMS supplies

    @Test
    void everyConditionMustHoldAndMissingKeysFollowIam() {
        String viaFirehose = "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:CreateGrant\",\"Resource\":\"*\",\"Condition\":{"
                + "\"StringEquals\":{\"kms:ViaService\":\"firehose.us-east-1.amazonaws.com\"},"
                + "\"Bool\":{\"kms:GrantIsForAWSResource\":\"true\"}}}";
        String notViaFirehose = "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\",\"Condition\":{"
                + "\"StringNotLike\":{\"kms:ViaService\":\"firehose.*.amazonaws.com\"}}}";
        String onlyIfPresent = "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\",\"Condition\":{"
                + "\"StringEqualsIfExists\":{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"}}}";

        assertThat(denies(viaFirehose, "kms:CreateGrant", FIREHOSE, true)).isTrue();
        assertThat(denies(viaFirehose, "kms:CreateGrant", FIREHOSE, false)).isFalse();
        assertThat(denies(viaFirehose, "kms:CreateGrant", ANA, true)).isFalse();
        assertThat(denies(notViaFirehose, "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(notViaFirehose, "kms:Decrypt", FIREHOSE)).isFalse();
        assertThat(denies(onlyIfPresent, "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(onlyIfPresent, "kms:Decrypt", FIREHOSE)).isFalse();
    }

    @Test
    void conditionKeyNamesIgnoreCaseButValuesDoNot() {
        assertThat(denies(condition("StringEquals", "KMS:CALLERACCOUNT", "\"123456789012\""), "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("StringEquals", "aws:PrincipalArn", "\"arn:aws:iam::123456789012:user/ANA\""), "kms:Decrypt", ANA)).isFalse();
        assertThat(denies(condition("StringEqualsIgnoreCase", "aws:PrincipalArn", "\"arn:aws:iam::123456789012:user/ANA\""), "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("StringNotEqualsIgnoreCase", "aws:PrincipalArn", "\"arn:aws:iam::123456789012:user/ANA\""), "kms:Decrypt", ANA)).isFalse();
    }

    @Test
    void aRoleSessionsPrincipalArnIsItsRole() {
        assertThat(denies(condition("ArnEquals", "aws:PrincipalArn", "\"arn:aws:iam::123456789012:role/app\""), "kms:Decrypt", SESSION)).isTrue();
        assertThat(denies(condition("StringLike", "aws:PrincipalArn", "\"*assumed-role*\""), "kms:Decrypt", SESSION)).isFalse();
    }

    @Test
    void severalValuesOfOneConditionAreAlternatives() {
        assertThat(denies(condition("StringEquals", "aws:PrincipalArn",
                "[\"arn:aws:iam::123456789012:user/bob\",\"arn:aws:iam::123456789012:user/ana\"]"), "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("StringNotEquals", "aws:PrincipalArn",
                "[\"arn:aws:iam::123456789012:user/bob\",\"arn:aws:iam::123456789012:user/ana\"]"), "kms:Decrypt", ANA)).isFalse();
        assertThat(denies(condition("StringNotEquals", "aws:PrincipalArn",
                "[\"arn:aws:iam::123456789012:user/bob\"]"), "kms:Decrypt", ANA)).isTrue();
    }

    @Test
    void arnOperatorsCompareEachPartWithWildcards() {
        assertThat(denies(condition("ArnLike", "aws:PrincipalArn", "\"arn:aws:iam::*:user/a*\""), "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("ArnEquals", "aws:PrincipalArn", "\"arn:aws:iam::123456789012:user/ana\""), "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("ArnLike", "aws:PrincipalArn", "\"arn:aws:iam::*:role/*\""), "kms:Decrypt", ANA)).isFalse();
        assertThat(denies(condition("ArnNotLike", "aws:PrincipalArn", "\"arn:aws:iam::*:role/*\""), "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("ArnNotEquals", "aws:PrincipalArn", "\"arn:aws:iam::123456789012:user/ana\""), "kms:Decrypt", ANA)).isFalse();
        // A * inside one part does not reach across the colons into the next.
        assertThat(denies(condition("ArnLike", "aws:PrincipalArn", "\"arn:aws:iam:*:user/ana\""), "kms:Decrypt", ANA)).isFalse();
    }

    @Test
    void theNullOperatorTestsWhetherTheKeyIsPresent() {
        assertThat(denies(condition("Null", "kms:ViaService", "\"true\""), "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("Null", "kms:ViaService", "\"true\""), "kms:Decrypt", FIREHOSE)).isFalse();
        assertThat(denies(condition("Null", "kms:ViaService", "false"), "kms:Decrypt", FIREHOSE)).isTrue();
        assertThat(denies(condition("Null", "kms:ViaService", "false"), "kms:Decrypt", ANA)).isFalse();
    }

    @Test
    void boolComparesWithoutCaseAndAcceptsAJsonBoolean() {
        assertThat(denies(condition("Bool", "kms:GrantIsForAWSResource", "true"), "kms:CreateGrant", ANA, true)).isTrue();
        assertThat(denies(condition("Bool", "kms:GrantIsForAWSResource", "\"TRUE\""), "kms:CreateGrant", ANA, true)).isTrue();
        assertThat(denies(condition("Bool", "kms:GrantIsForAWSResource", "\"true\""), "kms:CreateGrant", ANA, false)).isFalse();
        assertThat(denies(condition("Bool", "aws:SecureTransport", "\"false\""), "kms:Decrypt", ANA)).isFalse();
        assertThat(denies(condition("BoolIfExists", "aws:SecureTransport", "\"false\""), "kms:Decrypt", ANA)).isTrue();
    }

    @Test
    void numericOperatorsCompareNumbers() {
        // aws:EpochTime is NOW in seconds: 1780315200.
        assertThat(denies(condition("NumericEquals", "aws:EpochTime", "\"1780315200\""), "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("NumericEquals", "aws:EpochTime", "1780315200.0"), "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("NumericNotEquals", "aws:EpochTime", "\"1780315200\""), "kms:Decrypt", ANA)).isFalse();
        assertThat(denies(condition("NumericLessThan", "aws:EpochTime", "\"1780315201\""), "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("NumericLessThan", "aws:EpochTime", "\"1780315200\""), "kms:Decrypt", ANA)).isFalse();
        assertThat(denies(condition("NumericLessThanEquals", "aws:EpochTime", "\"1780315200\""), "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("NumericGreaterThan", "aws:EpochTime", "\"1780315199\""), "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("NumericGreaterThan", "aws:EpochTime", "\"1780315200\""), "kms:Decrypt", ANA)).isFalse();
        assertThat(denies(condition("NumericGreaterThanEquals", "aws:EpochTime", "\"1780315200\""), "kms:Decrypt", ANA)).isTrue();
        // A value that is no number (the principal's ARN) matches no numeric operator.
        assertThat(denies(condition("NumericGreaterThan", "aws:PrincipalArn", "\"0\""), "kms:Decrypt", ANA)).isFalse();
        assertThat(denies(condition("NumericLessThanIfExists", "kms:Missing", "\"0\""), "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("NumericLessThan", "kms:Missing", "\"0\""), "kms:Decrypt", ANA)).isFalse();
    }

    @Test
    void dateOperatorsReadIso8601AndEpochSeconds() {
        assertThat(denies(condition("DateGreaterThan", "aws:CurrentTime", "\"2026-01-01T00:00:00Z\""), "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("DateGreaterThan", "aws:CurrentTime", "\"2027-01-01\""), "kms:Decrypt", ANA)).isFalse();
        assertThat(denies(condition("DateLessThan", "aws:CurrentTime", "\"2027-01-01T00:00:00+02:00\""), "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("DateLessThanEquals", "aws:CurrentTime", "\"1780315200\""), "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("DateGreaterThanEquals", "aws:CurrentTime", "1780315200"), "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("DateEquals", "aws:CurrentTime", "\"2026-06-01T12:00:00Z\""), "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("DateNotEquals", "aws:CurrentTime", "\"2026-06-01T12:00:00Z\""), "kms:Decrypt", ANA)).isFalse();
        assertThat(denies(condition("DateNotEquals", "aws:CurrentTime", "\"2026-06-01T12:00:01\""), "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("DateLessThan", "aws:EpochTime", "\"2030-01-01\""), "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("DateGreaterThan", "aws:CurrentTime", "\"1780315199.5\""), "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("DateGreaterThan", "aws:CurrentTime", "\"1780315200.5\""), "kms:Decrypt", ANA)).isFalse();
    }

    @Test
    void anAbsentSourceIpMatchesOnlyNotIpAddressAndIfExists() {
        assertThat(denies(condition("IpAddress", "aws:SourceIp", "\"10.0.0.0/8\""), "kms:Decrypt", ANA)).isFalse();
        assertThat(denies(condition("NotIpAddress", "aws:SourceIp", "\"10.0.0.0/8\""), "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("IpAddressIfExists", "aws:SourceIp", "\"10.0.0.0/8\""), "kms:Decrypt", ANA)).isTrue();
    }

    // ---- set operators

    @Test
    void forAnyValueNeedsOneMatchingValueAndFailsOnAnAbsentKey() {
        assertThat(denies(condition("ForAnyValue:StringLike", "aws:PrincipalArn", "[\"*:user/bob\",\"*:user/ana\"]"),
                "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("ForAnyValue:StringEquals", "aws:PrincipalArn", "\"nobody\""), "kms:Decrypt", ANA)).isFalse();
        assertThat(denies(condition("ForAnyValue:StringEquals", "kms:EncryptionContextKeys", "\"dept\""), "kms:Decrypt", ANA)).isFalse();
        assertThat(denies(condition("ForAnyValue:StringNotEquals", "aws:PrincipalArn", "\"nobody\""), "kms:Decrypt", ANA)).isTrue();
    }

    @Test
    void forAllValuesHoldsForAnAbsentKeyAndOtherwiseNeedsEveryValueToMatch() {
        assertThat(denies(condition("ForAllValues:StringEquals", "kms:EncryptionContextKeys", "\"dept\""), "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("ForAllValues:StringLike", "aws:PrincipalArn", "\"*:user/*\""), "kms:Decrypt", ANA)).isTrue();
        assertThat(denies(condition("ForAllValues:StringLike", "aws:PrincipalArn", "\"*:role/*\""), "kms:Decrypt", ANA)).isFalse();
        assertThat(denies(condition("ForAllValues:StringNotLike", "aws:PrincipalArn", "\"*:role/*\""), "kms:Decrypt", ANA)).isTrue();
    }

    @Test
    void setOperatorsTestEveryValueOfAMultiValuedKey() {
        PolicyCondition any = PolicyCondition.parse("ForAnyValue:StringEquals", "kms:EncryptionContextKeys", java.util.List.of("dept"));
        PolicyCondition all = PolicyCondition.parse("ForAllValues:StringEquals", "kms:EncryptionContextKeys",
                java.util.List.of("dept", "project"));
        var some = java.util.Map.of("kms:encryptioncontextkeys", java.util.List.of("dept", "owner"));
        var allowed = java.util.Map.of("kms:encryptioncontextkeys", java.util.List.of("dept", "project"));

        assertThat(any.holds(some)).isTrue();
        assertThat(all.holds(some)).isFalse();
        assertThat(all.holds(allowed)).isTrue();
        assertThat(any.holds(java.util.Map.of("kms:encryptioncontextkeys", java.util.List.of("owner")))).isFalse();
    }

    @Test
    void ipRangesMatchIpv4AndIpv6Addresses() {
        var v4 = java.util.Map.of("aws:sourceip", java.util.List.of("203.0.113.77"));
        var v6 = java.util.Map.of("aws:sourceip", java.util.List.of("2001:db8:0:12::1"));

        assertThat(PolicyCondition.parse("IpAddress", "aws:SourceIp", java.util.List.of("203.0.113.0/24")).holds(v4)).isTrue();
        assertThat(PolicyCondition.parse("IpAddress", "aws:SourceIp", java.util.List.of("203.0.112.0/24")).holds(v4)).isFalse();
        assertThat(PolicyCondition.parse("IpAddress", "aws:SourceIp", java.util.List.of("203.0.113.77")).holds(v4)).isTrue();
        assertThat(PolicyCondition.parse("IpAddress", "aws:SourceIp", java.util.List.of("0.0.0.0/0")).holds(v4)).isTrue();
        assertThat(PolicyCondition.parse("NotIpAddress", "aws:SourceIp", java.util.List.of("10.0.0.0/8", "203.0.113.128/25")).holds(v4)).isTrue();
        assertThat(PolicyCondition.parse("NotIpAddress", "aws:SourceIp", java.util.List.of("10.0.0.0/8", "203.0.113.64/26")).holds(v4)).isFalse();
        assertThat(PolicyCondition.parse("IpAddress", "aws:SourceIp", java.util.List.of("2001:DB8::/32")).holds(v6)).isTrue();
        assertThat(PolicyCondition.parse("IpAddress", "aws:SourceIp", java.util.List.of("2001:db8:0:13::/64")).holds(v6)).isFalse();
        assertThat(PolicyCondition.parse("IpAddress", "aws:SourceIp", java.util.List.of("2001:db8::/32")).holds(v4)).isFalse();
        assertThat(PolicyCondition.parse("IpAddress", "aws:SourceIp", java.util.List.of("0.0.0.0/0")).holds(v6)).isFalse();
    }

    // ---- what cannot be evaluated is refused

    @Test
    void aDocumentThatIsNoPolicyIsMalformed() {
        assertMalformed("not json", "not valid JSON");
        assertMalformed("[]", "JSON object");
        assertMalformed("{\"Version\":\"2012-10-17\"}", "no Statement");
        assertMalformed("{\"Statement\":[]}", "empty");
        assertMalformed("{\"Statement\":[\"Allow\"]}", "JSON object");
        assertMalformed("{\"Statement\":[{\"Effect\":\"Maybe\",\"Principal\":\"*\",\"Action\":\"kms:*\"}]}", "Effect");
    }

    @Test
    void aWrongVersionOrAnUnknownElementIsRefusedByName() {
        assertMalformed("{\"Version\":\"2020-01-01\",\"Statement\":[" + ALLOW_ACCOUNT + "]}", "Version");
        assertMalformed("{\"Statement\":[" + ALLOW_ACCOUNT + "],\"Statment\":[]}", "Statment");
        assertMalformed(policy("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resources\":\"*\"}"), "Resources");
        assertMalformed(policy("{\"Effect\":\"Deny\",\"Principal\":{\"IAM\":\"x\"},\"Action\":\"kms:*\"}"), "IAM");
    }

    @Test
    void aStatementNeedsExactlyOneOfEachPair() {
        assertMalformed(policy("{\"Effect\":\"Deny\",\"Action\":\"kms:*\"}"), "Principal");
        assertMalformed(policy("{\"Effect\":\"Deny\",\"Principal\":\"*\"}"), "Action");
        assertMalformed(policy("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"NotPrincipal\":\"*\",\"Action\":\"kms:*\"}"), "NotPrincipal");
        assertMalformed(policy("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"NotAction\":\"kms:Get*\"}"), "NotAction");
        assertMalformed(policy("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\",\"NotResource\":\"*\"}"), "NotResource");
    }

    @Test
    void badPrincipalsActionsAndResourcesAreRefused() {
        assertMalformed(policy("{\"Effect\":\"Deny\",\"Principal\":\"ana\",\"Action\":\"kms:*\"}"), "Principal");
        assertMalformed(policy("{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"ana\"},\"Action\":\"kms:*\"}"), "invalid principals");
        assertMalformed(policy("{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:user/*\"},\"Action\":\"kms:*\"}"),
                "arn:aws:iam::123456789012:user/*");
        assertMalformed(policy("{\"Effect\":\"Deny\",\"Principal\":{\"Service\":\"*.amazonaws.com\"},\"Action\":\"kms:*\"}"),
                "*.amazonaws.com");
        assertMalformed(policy("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"Decrypt\"}"), "Decrypt");
        assertMalformed(policy("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":[\"kms:*\",7]}"), "Action");
        assertMalformed(policy("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"my-key\"}"), "my-key");
    }

    @Test
    void anOperatorThisKmsCannotEvaluateIsRefusedByName() {
        assertMalformed(policy(conditionStatement("StringEqualsSometimes", "kms:ViaService", "\"x\"")), "StringEqualsSometimes");
        assertMalformed(policy(conditionStatement("ForSomeValues:StringEquals", "kms:ViaService", "\"x\"")), "ForSomeValues:StringEquals");
        assertMalformed(policy(conditionStatement("NullIfExists", "kms:ViaService", "\"true\"")), "NullIfExists");
        assertMalformed(policy(conditionStatement("stringequals", "kms:ViaService", "\"x\"")), "stringequals");
    }

    @Test
    void aValueAnOperatorCannotReadIsRefused() {
        assertMalformed(policy(conditionStatement("NumericLessThan", "aws:EpochTime", "\"soon\"")), "soon");
        assertMalformed(policy(conditionStatement("DateLessThan", "aws:CurrentTime", "\"yesterday\"")), "yesterday");
        assertMalformed(policy(conditionStatement("Bool", "aws:SecureTransport", "\"yes\"")), "yes");
        assertMalformed(policy(conditionStatement("Null", "kms:ViaService", "\"maybe\"")), "maybe");
        assertMalformed(policy(conditionStatement("IpAddress", "aws:SourceIp", "\"10.0.0.0/33\"")), "10.0.0.0/33");
        assertMalformed(policy(conditionStatement("IpAddress", "aws:SourceIp", "\"300.1.1.1\"")), "300.1.1.1");
        assertMalformed(policy(conditionStatement("IpAddress", "aws:SourceIp", "\"example.com\"")), "example.com");
        assertMalformed(policy(conditionStatement("IpAddress", "aws:SourceIp", "\".:1\"")), ".:1");
        assertMalformed(policy(conditionStatement("IpAddress", "aws:SourceIp", "\"1:2\"")), "1:2");
        assertMalformed(policy(conditionStatement("DateLessThan", "aws:CurrentTime", "\"99999999999999999999999\"")), "9999");
        assertMalformed(policy(conditionStatement("DateLessThan", "aws:CurrentTime", "\"2026-13-01\"")), "2026-13-01");
        assertMalformed(policy(conditionStatement("StringEquals", "kms:ViaService", "[]")), "no values");
        assertMalformed(policy(conditionStatement("StringEquals", "kms:ViaService", "{\"a\":1}")), "StringEquals");
        assertMalformed(policy("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Condition\":{\"StringEquals\":\"x\"}}"),
                "StringEquals");
    }

    @Test
    void aStoredPolicyThatNoLongerReadsLetsOnlyTheRootUserRepairIt() {
        KeyPolicy stored = KeyPolicy.stored(policy(ALLOW_ACCOUNT + "," + conditionStatement("StringEqualsSometimes", "kms:ViaService", "\"x\"")));

        assertThat(stored.evaluate(new KeyPolicy.Request("kms:Decrypt", ROOT, KEY_ARN, false, NOW))).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(stored.evaluate(new KeyPolicy.Request("kms:PutKeyPolicy", ANA, KEY_ARN, false, NOW))).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(stored.evaluate(new KeyPolicy.Request("kms:PutKeyPolicy", ROOT, KEY_ARN, false, NOW))).isEqualTo(Decision.ALLOW);
        assertThat(stored.evaluate(new KeyPolicy.Request("kms:GetKeyPolicy", ROOT, KEY_ARN, false, NOW))).isEqualTo(Decision.ALLOW);
    }

    static String policy(String statement) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + statement + "]}";
    }

    static String condition(String operator, String key, String values) {
        return conditionStatement(operator, key, values);
    }

    static String conditionStatement(String operator, String key, String values) {
        return "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\",\"Condition\":{\""
                + operator + "\":{\"" + key + "\":" + values + "}}}";
    }

    static void assertMalformed(String document, String named) {
        assertThatThrownBy(() -> KeyPolicy.parse(document))
                .isInstanceOfSatisfying(KmsException.class, e -> {
                    assertThat(e.errorName()).isEqualTo("MalformedPolicyDocumentException");
                    assertThat(e.getMessage()).contains(named);
                });
    }

    @Test
    void encryptionContextKeysAreConditionKeysAndAContextWithANullValueStillEvaluates() {
        KeyPolicy policy = KeyPolicy.parse("""
                {"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:Encrypt","Resource":"*",
                  "Condition":{"StringEquals":{"kms:EncryptionContext:Stream":"orders"},
                               "ForAllValues:StringLike":{"kms:EncryptionContextKeys":["stream","shard*"]}}}]}""");
        java.util.Map<String, String> withNull = new java.util.HashMap<>(java.util.Map.of("stream", "orders"));
        withNull.put("shard", null);

        assertThat(policy.evaluate(new KeyPolicy.Request("kms:Encrypt", ANA, KEY_ARN, false, NOW,
                java.util.Map.of("stream", "orders", "shard-1", "x")))).isEqualTo(Decision.ALLOW);
        assertThat(policy.evaluate(new KeyPolicy.Request("kms:Encrypt", ANA, KEY_ARN, false, NOW, withNull)))
                .isEqualTo(Decision.ALLOW);
        assertThat(policy.evaluate(new KeyPolicy.Request("kms:Encrypt", ANA, KEY_ARN, false, NOW,
                java.util.Map.of("stream", "orders", "user", "eve")))).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(policy.evaluate(new KeyPolicy.Request("kms:Encrypt", ANA, KEY_ARN, false, NOW,
                java.util.Map.of("stream", "Orders")))).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(policy.evaluate(new KeyPolicy.Request("kms:Encrypt", ANA, KEY_ARN, false, NOW)))
                .isEqualTo(Decision.IMPLICIT_DENY);
    }
}
