package io.firehosesse.kms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.kms.KmsKey.KeyState;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The KMS this service embeds: keys with the states, specs and errors AWS KMS has. Key ids resolve
 * by bare id or key ARN within the caller's account and region; a key whose deletion window has
 * passed is deleted the next time anything looks for it.
 */
@Service
public class EmbeddedKms {

    static final int DEFAULT_PENDING_WINDOW_DAYS = 30;
    private static final Pattern KEY_ARN = Pattern.compile("arn:[a-z-]+:kms:([a-z0-9-]+):(\\d{12}):key/(.+)");
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final KmsKeyStore keys;
    private final MasterKey masterKey;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();

    EmbeddedKms(KmsKeyStore keys, MasterKey masterKey, Clock clock) {
        this.keys = keys;
        this.masterKey = masterKey;
        this.clock = clock;
    }

    /** What a caller asked CreateKey for; null members take KMS's defaults. */
    public record NewKey(String description, String keySpec, String keyUsage, String policy, List<Map<String, String>> tags) {
    }

    @Transactional
    public KmsKey create(String accountId, String region, NewKey request) {
        String spec = request.keySpec() == null ? "SYMMETRIC_DEFAULT" : request.keySpec();
        String usage = request.keyUsage() == null ? defaultUsage(spec) : request.keyUsage();
        if (!allowedUsages(spec).contains(usage)) {
            throw KmsException.validation("KeyUsage " + usage + " is not compatible with KeySpec " + spec + ".");
        }
        String keyId = UUID.randomUUID().toString();
        String arn = "arn:" + partition(region) + ":kms:" + region + ":" + accountId + ":key/" + keyId;
        KmsKey key = new KmsKey(keyId, accountId, region, arn, request.description() == null ? "" : request.description(),
                spec, usage, KeyState.Enabled, clock.instant().truncatedTo(ChronoUnit.MILLIS), null, null,
                request.policy() == null ? defaultPolicy(accountId) : request.policy(), false);
        byte[] material = null;
        if ("SYMMETRIC_DEFAULT".equals(spec)) {
            byte[] plain = new byte[32];
            random.nextBytes(plain);
            material = masterKey.wrap(plain);
        }
        keys.insert(key, write(request.tags() == null ? List.of() : request.tags()), material);
        return key;
    }

    @Transactional
    public KmsKey describe(String accountId, String region, String keyId) {
        return resolve(accountId, region, keyId);
    }

    @Transactional(readOnly = true)
    public List<KmsKey> list(String accountId, String region, String afterKeyId, int limit) {
        Instant now = clock.instant();
        return keys.list(accountId, region, afterKeyId, limit).stream()
                .filter(key -> !deletedBy(key, now))
                .toList();
    }

    @Transactional
    public void enable(String accountId, String region, String keyId) {
        KmsKey key = resolve(accountId, region, keyId);
        requireNotPendingDeletion(key);
        keys.updateState(key.keyId(), KeyState.Enabled, null, null);
    }

    @Transactional
    public void disable(String accountId, String region, String keyId) {
        KmsKey key = resolve(accountId, region, keyId);
        requireNotPendingDeletion(key);
        keys.updateState(key.keyId(), KeyState.Disabled, null, null);
    }

    @Transactional
    public KmsKey scheduleDeletion(String accountId, String region, String keyId, Integer pendingWindowInDays) {
        int days = pendingWindowInDays == null ? DEFAULT_PENDING_WINDOW_DAYS : pendingWindowInDays;
        if (days < 7 || days > 30) {
            throw KmsException.validation("1 validation error detected: Value '" + days
                    + "' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30");
        }
        KmsKey key = resolve(accountId, region, keyId);
        requireNotPendingDeletion(key);
        Instant deletion = clock.instant().plus(Duration.ofDays(days)).truncatedTo(ChronoUnit.MILLIS);
        keys.updateState(key.keyId(), KeyState.PendingDeletion, deletion, days);
        return resolve(accountId, region, keyId);
    }

    @Transactional
    public KmsKey cancelDeletion(String accountId, String region, String keyId) {
        KmsKey key = resolve(accountId, region, keyId);
        if (key.state() != KeyState.PendingDeletion) {
            throw KmsException.invalidState(key.arn() + " is not pending deletion.");
        }
        // KMS leaves a key whose deletion was cancelled disabled, so it cannot be used by surprise.
        keys.updateState(key.keyId(), KeyState.Disabled, null, null);
        return resolve(accountId, region, keyId);
    }

    private KmsKey resolve(String accountId, String region, String keyId) {
        String id = keyId;
        String arnForMessage;
        Matcher arn = KEY_ARN.matcher(keyId);
        if (arn.matches()) {
            if (!arn.group(1).equals(region) || !arn.group(2).equals(accountId)) {
                throw KmsException.notFound(keyId);
            }
            id = arn.group(3);
            arnForMessage = keyId;
        } else if (KEY_ID.matcher(keyId).matches()) {
            arnForMessage = "arn:" + partition(region) + ":kms:" + region + ":" + accountId + ":key/" + keyId;
        } else {
            throw KmsException.invalidKeyId(keyId);
        }
        KmsKey key = keys.find(accountId, region, id.toLowerCase()).orElseThrow(() -> KmsException.notFound(arnForMessage));
        if (deletedBy(key, clock.instant())) {
            keys.delete(key.keyId());
            throw KmsException.notFound(arnForMessage);
        }
        return key;
    }

    private static boolean deletedBy(KmsKey key, Instant now) {
        return key.state() == KeyState.PendingDeletion && key.deletionDate() != null && !key.deletionDate().isAfter(now);
    }

    private static void requireNotPendingDeletion(KmsKey key) {
        if (key.state() == KeyState.PendingDeletion) {
            throw KmsException.invalidState(key.arn() + " is pending deletion.");
        }
    }

    private static String defaultUsage(String spec) {
        if (spec.startsWith("HMAC_")) {
            return "GENERATE_VERIFY_MAC";
        }
        if (spec.startsWith("ECC_") || spec.startsWith("ML_DSA")) {
            return "SIGN_VERIFY";
        }
        return "ENCRYPT_DECRYPT";
    }

    private static Set<String> allowedUsages(String spec) {
        if ("SYMMETRIC_DEFAULT".equals(spec)) {
            return Set.of("ENCRYPT_DECRYPT");
        }
        if (spec.startsWith("RSA_")) {
            return Set.of("ENCRYPT_DECRYPT", "SIGN_VERIFY");
        }
        if (spec.startsWith("HMAC_")) {
            return Set.of("GENERATE_VERIFY_MAC");
        }
        if ("SM2".equals(spec)) {
            return Set.of("ENCRYPT_DECRYPT", "SIGN_VERIFY", "KEY_AGREEMENT");
        }
        if (spec.startsWith("ECC_NIST_P") || "ECC_SECG_P256K1".equals(spec)) {
            return "ECC_SECG_P256K1".equals(spec) ? Set.of("SIGN_VERIFY") : Set.of("SIGN_VERIFY", "KEY_AGREEMENT");
        }
        return Set.of("SIGN_VERIFY");
    }

    static String defaultPolicy(String accountId) {
        return """
                {"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions",\
                "Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"kms:*","Resource":"*"}]}\
                """.formatted(accountId);
    }

    private static String partition(String region) {
        return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
