package io.firehosesse.kms;

import io.firehosesse.api.AwsPartitions;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.kms.KmsArns.ByAlias;
import io.firehosesse.kms.KmsArns.ById;
import io.firehosesse.kms.KmsArns.KeyReference;
import io.firehosesse.kms.KmsKey.KeyState;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import io.firehosesse.platform.TransactionLocks;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The KMS this service embeds: keys, aliases, key policies, grants and symmetric encryption, with
 * the key states and error names of AWS KMS. Every key reference may be a key id, a key ARN, an alias
 * name or an alias ARN in the caller's account and region. A key whose deletion window has passed is
 * deleted the next time anything looks for it.
 */
@Service
public class EmbeddedKms {

    static final int DEFAULT_PENDING_WINDOW_DAYS = 30;
    private static final String DEFAULT_POLICY_NAME = "default";
    private static final String SYMMETRIC = "SYMMETRIC_DEFAULT";
    private static final Set<String> SYMMETRIC_OPERATIONS = Set.of("Decrypt", "Encrypt", "GenerateDataKey",
            "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKeyPair",
            "GenerateDataKeyPairWithoutPlaintext");

    private final KmsKeyStore keys;
    private final KmsAliasStore aliases;
    private final KmsGrantStore grants;
    private final MasterKey masterKey;
    private final Clock clock;
    private final TransactionLocks locks;
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final ApplicationEventPublisher events;

    EmbeddedKms(KmsKeyStore keys, KmsAliasStore aliases, KmsGrantStore grants, MasterKey masterKey, Clock clock,
                TransactionLocks locks, ApplicationEventPublisher events) {
        this.events = events;
        this.keys = keys;
        this.aliases = aliases;
        this.grants = grants;
        this.masterKey = masterKey;
        this.clock = clock;
        this.locks = locks;
    }

    /** What a caller asked CreateKey for; null members take KMS's defaults. */
    public record NewKey(String description, String keySpec, String keyUsage, String policy, List<Map<String, String>> tags) {
    }

    /** What a caller asked CreateGrant for. */
    public record NewGrant(String keyId, String granteePrincipal, String retiringPrincipal, List<String> operations,
                           Map<String, Map<String, String>> constraints, String name) {
    }

    public record IssuedGrant(String grantId, String grantToken) {
    }

    public record DataKey(String keyArn, byte[] plaintext, byte[] ciphertextBlob) {
    }

    public record Ciphertext(String keyArn, byte[] ciphertextBlob) {
    }

    public record Plaintext(String keyArn, byte[] plaintext) {
    }

    // ---- keys

    @Transactional(noRollbackFor = KmsException.class)
    public KmsKey create(KmsCaller caller, NewKey request) {
        String spec = request.keySpec() == null ? SYMMETRIC : request.keySpec();
        String usage = request.keyUsage() == null ? defaultUsage(spec) : request.keyUsage();
        if (!allowedUsages(spec).contains(usage)) {
            throw KmsException.validation("KeyUsage " + usage + " is not compatible with KeySpec " + spec + ".");
        }
        String policy = request.policy() == null ? defaultPolicy(caller) : request.policy();
        KeyPolicy.parse(policy);
        return insertKey(caller.accountId(), caller.region(), request.description(), spec, usage, policy,
                request.tags(), false);
    }

    /**
     * The key this service keeps for {@code AWS_OWNED_CMK} streams: made on first use, never listed to users.
     * Made and committed in a transaction of its own: the first put that needs it may roll back or die, while
     * other puts already seal records under data keys of this key, which must therefore exist for good.
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW, noRollbackFor = KmsException.class)
    public KmsKey awsOwnedKey(String accountId, String region) {
        locks.lock("aws-owned/" + accountId + "/" + region);
        return keys.findAwsOwned(accountId, region).orElseGet(() -> insertKey(accountId, region,
                "Key owned by the service for AWS_OWNED_CMK delivery streams", SYMMETRIC, "ENCRYPT_DECRYPT",
                defaultPolicy(KmsCaller.direct(accountId, region, null)), List.of(), true));
    }

    private KmsKey insertKey(String accountId, String region, String description, String spec, String usage, String policy,
                             List<Map<String, String>> tags, boolean awsOwned) {
        String keyId = UUID.randomUUID().toString();
        KmsKey key = new KmsKey(keyId, accountId, region, KmsArns.keyArn(accountId, region, keyId),
                description == null ? "" : description, spec, usage, KeyState.Enabled,
                clock.instant().truncatedTo(ChronoUnit.MILLIS), null, null, policy, awsOwned);
        byte[] wrapped = null;
        if (SYMMETRIC.equals(spec)) {
            byte[] material = new byte[32];
            random.nextBytes(material);
            wrapped = masterKey.wrap(material);
        }
        keys.insert(key, write(tags == null ? List.of() : tags), wrapped);
        return key;
    }

    @Transactional(noRollbackFor = KmsException.class)
    public KmsKey describe(KmsCaller caller, String keyRef) {
        return authorized(caller, keyRef, "kms:DescribeKey", false);
    }

    @Transactional(readOnly = true, noRollbackFor = KmsException.class)
    public List<KmsKey> list(KmsCaller caller, String afterKeyId, int limit) {
        Instant now = clock.instant();
        return keys.list(caller.accountId(), caller.region(), afterKeyId, limit).stream()
                .filter(key -> !deletedBy(key, now))
                .toList();
    }

    @Transactional(noRollbackFor = KmsException.class)
    public void enable(KmsCaller caller, String keyRef) {
        KmsKey key = authorized(caller, keyRef, "kms:EnableKey", false);
        requireNotPendingDeletion(key);
        keys.updateState(key.keyId(), KeyState.Enabled, null, null);
    }

    @Transactional(noRollbackFor = KmsException.class)
    public void disable(KmsCaller caller, String keyRef) {
        KmsKey key = authorized(caller, keyRef, "kms:DisableKey", false);
        requireNotPendingDeletion(key);
        keys.updateState(key.keyId(), KeyState.Disabled, null, null);
        events.publishEvent(new KmsKeyChanged(key.keyId()));
    }

    @Transactional(noRollbackFor = KmsException.class)
    public KmsKey scheduleDeletion(KmsCaller caller, String keyRef, Integer pendingWindowInDays) {
        int days = pendingWindowInDays == null ? DEFAULT_PENDING_WINDOW_DAYS : pendingWindowInDays;
        if (days < 7 || days > 30) {
            throw KmsException.validation("1 validation error detected: Value '" + days
                    + "' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30");
        }
        KmsKey key = authorized(caller, keyRef, "kms:ScheduleKeyDeletion", false);
        requireNotPendingDeletion(key);
        Instant deletion = clock.instant().plus(Duration.ofDays(days)).truncatedTo(ChronoUnit.MILLIS);
        keys.updateState(key.keyId(), KeyState.PendingDeletion, deletion, days);
        events.publishEvent(new KmsKeyChanged(key.keyId()));
        return resolve(caller, key.keyId());
    }

    @Transactional(noRollbackFor = KmsException.class)
    public KmsKey cancelDeletion(KmsCaller caller, String keyRef) {
        KmsKey key = authorized(caller, keyRef, "kms:CancelKeyDeletion", false);
        if (key.state() != KeyState.PendingDeletion) {
            throw KmsException.invalidState(key.arn() + " is not pending deletion.");
        }
        // KMS leaves a key whose deletion was cancelled disabled, so it cannot be used by surprise.
        keys.updateState(key.keyId(), KeyState.Disabled, null, null);
        return resolve(caller, key.keyId());
    }

    // ---- key policies

    @Transactional(noRollbackFor = KmsException.class)
    public String getPolicy(KmsCaller caller, String keyRef, String policyName) {
        requireDefaultPolicyName(policyName);
        return authorized(caller, keyRef, "kms:GetKeyPolicy", false).policy();
    }

    @Transactional(noRollbackFor = KmsException.class)
    public void putPolicy(KmsCaller caller, String keyRef, String policyName, String policy) {
        requireDefaultPolicyName(policyName);
        KmsKey key = authorized(caller, keyRef, "kms:PutKeyPolicy", false);
        requireNotPendingDeletion(key);
        KeyPolicy.parse(policy);
        keys.updatePolicy(key.keyId(), policy);
        events.publishEvent(new KmsKeyChanged(key.keyId()));
    }

    // ---- aliases

    @Transactional(noRollbackFor = KmsException.class)
    public void createAlias(KmsCaller caller, String aliasName, String targetKeyRef) {
        if (!aliasName.startsWith("alias/") || aliasName.length() == "alias/".length()) {
            throw new KmsException("InvalidAliasNameException", "Alias must start with the prefix \"alias/\".");
        }
        if (aliasName.startsWith("alias/aws/")) {
            throw new KmsException("NotAuthorizedException", "The alias prefix alias/aws/ is reserved for AWS managed keys.");
        }
        KmsKey target = authorized(caller, targetKeyRef, "kms:CreateAlias", false);
        requireNotPendingDeletion(target);
        KmsAlias alias = new KmsAlias(aliasName, KmsArns.aliasArn(caller.accountId(), caller.region(), aliasName),
                target.keyId(), clock.instant().truncatedTo(ChronoUnit.MILLIS));
        if (!aliases.insert(caller.accountId(), caller.region(), alias)) {
            throw new KmsException("AlreadyExistsException", "An alias with the name " + alias.aliasArn() + " already exists");
        }
    }

    @Transactional(noRollbackFor = KmsException.class)
    public List<KmsAlias> listAliases(KmsCaller caller, String keyRef, String afterName, int limit) {
        String keyId = keyRef == null ? null : resolve(caller, keyRef).keyId();
        return aliases.list(caller.accountId(), caller.region(), keyId, afterName, limit);
    }

    @Transactional(noRollbackFor = KmsException.class)
    public void deleteAlias(KmsCaller caller, String aliasName) {
        if (!aliases.delete(caller.accountId(), caller.region(), aliasName)) {
            throw KmsException.aliasNotFound(KmsArns.aliasArn(caller.accountId(), caller.region(), aliasName));
        }
    }

    // ---- grants

    @Transactional(noRollbackFor = KmsException.class)
    public IssuedGrant createGrant(KmsCaller caller, NewGrant request) {
        KmsKey key = authorized(caller, request.keyId(), "kms:CreateGrant", caller.viaService() != null);
        requireUsable(key);
        if (!SYMMETRIC.equals(key.keySpec())) {
            List<String> notAllowed = request.operations().stream().filter(SYMMETRIC_OPERATIONS::contains).toList();
            if (!notAllowed.isEmpty()) {
                throw KmsException.validation("Grant operations " + notAllowed + " are not valid for a key with KeySpec "
                        + key.keySpec() + ".");
            }
        }
        if (request.name() != null) {
            locks.lock("grant/" + key.keyId() + "/" + request.name());
            var existing = grants.byName(key.keyId(), key.arn(), request.name())
                    .filter(grant -> sameGrant(grant, request));
            if (existing.isPresent()) {
                return new IssuedGrant(existing.get().grantId(), token(existing.get().grantId()));
            }
        }
        byte[] id = new byte[32];
        random.nextBytes(id);
        KmsGrant grant = new KmsGrant(HexFormat.of().formatHex(id), key.keyId(), key.arn(), request.name(),
                request.granteePrincipal(), request.retiringPrincipal(), List.copyOf(request.operations()),
                request.constraints(), caller.effectivePrincipal(), clock.instant().truncatedTo(ChronoUnit.MILLIS));
        grants.insert(grant);
        return new IssuedGrant(grant.grantId(), token(grant.grantId()));
    }

    private static boolean sameGrant(KmsGrant grant, NewGrant request) {
        return grant.granteePrincipal().equals(request.granteePrincipal())
                && Objects.equals(grant.retiringPrincipal(), request.retiringPrincipal())
                && new HashSet<>(grant.operations()).equals(new HashSet<>(request.operations()))
                && Objects.equals(grant.constraints(), request.constraints());
    }

    @Transactional(noRollbackFor = KmsException.class)
    public List<KmsGrant> listGrants(KmsCaller caller, String keyRef, String grantId, String grantee, String afterGrantId,
                                     int limit) {
        KmsKey key = authorized(caller, keyRef, "kms:ListGrants", false);
        return grants.forKey(key.keyId(), key.arn(), grantId, grantee, afterGrantId, limit);
    }

    @Transactional(readOnly = true, noRollbackFor = KmsException.class)
    public List<KmsGrant> listRetirableGrants(KmsCaller caller, String retiringPrincipal, String afterGrantId, int limit) {
        return grants.retirableBy(caller.accountId(), retiringPrincipal, afterGrantId, limit);
    }

    /** Retires a grant named by its token, or by key and grant id. Works in every key state, as in KMS. */
    @Transactional(noRollbackFor = KmsException.class)
    public void retireGrant(KmsCaller caller, String grantToken, String keyRef, String grantId) {
        if (grantToken != null) {
            String id = grantIdOfToken(grantToken);
            KmsGrant grant = grants.byIdAnyKey(id).orElseThrow(() -> new KmsException("InvalidGrantTokenException",
                    "The grant token is not valid or the grant it names no longer exists."));
            grants.delete(grant.grantId());
            events.publishEvent(new KmsKeyChanged(grant.keyId()));
            return;
        }
        if (keyRef == null || grantId == null) {
            throw KmsException.validation("RetireGrant needs either GrantToken, or KeyId and GrantId.");
        }
        KmsKey key = resolve(caller, keyRef);
        requireGrant(key, grantId);
        grants.delete(grantId);
        events.publishEvent(new KmsKeyChanged(key.keyId()));
    }

    @Transactional(noRollbackFor = KmsException.class)
    public void revokeGrant(KmsCaller caller, String keyRef, String grantId) {
        KmsKey key = authorized(caller, keyRef, "kms:RevokeGrant", false);
        requireGrant(key, grantId);
        grants.delete(grantId);
        events.publishEvent(new KmsKeyChanged(key.keyId()));
    }

    private void requireGrant(KmsKey key, String grantId) {
        if (!grantId.matches("[0-9a-f]{64}")) {
            throw new KmsException("InvalidGrantIdException", "Invalid grant ID: " + grantId);
        }
        if (grants.byId(key.keyId(), key.arn(), grantId).isEmpty()) {
            throw new KmsException("NotFoundException", "Grant ID " + grantId + " not found");
        }
    }

    private String token(String grantId) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        String raw = "v1:" + grantId + ":" + HexFormat.of().formatHex(nonce);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    private static String grantIdOfToken(String token) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII).split(":");
            if (parts.length == 3 && parts[0].equals("v1") && parts[1].matches("[0-9a-f]{64}")) {
                return parts[1];
            }
        } catch (IllegalArgumentException notBase64) {
            // falls through to the refusal below
        }
        throw new KmsException("InvalidGrantTokenException", "The grant token is not valid.");
    }

    // ---- cryptography

    @Transactional(noRollbackFor = KmsException.class)
    public DataKey generateDataKey(KmsCaller caller, String keyRef, Map<String, String> context, int numberOfBytes) {
        KmsKey key = cryptoKey(caller, keyRef, "kms:GenerateDataKey", "GenerateDataKey");
        byte[] plaintext = new byte[numberOfBytes];
        random.nextBytes(plaintext);
        return new DataKey(key.arn(), plaintext, KmsCrypto.encrypt(key.keyId(), material(key), plaintext, context));
    }

    @Transactional(noRollbackFor = KmsException.class)
    public Ciphertext encrypt(KmsCaller caller, String keyRef, byte[] plaintext, Map<String, String> context) {
        KmsKey key = cryptoKey(caller, keyRef, "kms:Encrypt", "Encrypt");
        return new Ciphertext(key.arn(), KmsCrypto.encrypt(key.keyId(), material(key), plaintext, context));
    }

    @Transactional(noRollbackFor = KmsException.class)
    public Plaintext decrypt(KmsCaller caller, byte[] blob, Map<String, String> context, String keyRef) {
        String keyId = KmsCrypto.keyIdOf(blob);
        KmsKey key;
        try {
            key = resolve(caller, keyId);
        } catch (KmsException unknownKey) {
            throw new KmsException("InvalidCiphertextException", null);
        }
        if (keyRef != null && !resolve(caller, keyRef).keyId().equals(key.keyId())) {
            throw new KmsException("IncorrectKeyException",
                    "The key ID in the request does not identify a CMK that can perform this operation.");
        }
        authorize(key, caller, "kms:Decrypt", false);
        requireUsable(key);
        return new Plaintext(key.arn(), KmsCrypto.decrypt(blob, material(key), context));
    }

    private KmsKey cryptoKey(KmsCaller caller, String keyRef, String action, String operation) {
        KmsKey key = authorized(caller, keyRef, action, false);
        requireUsable(key);
        if (!"ENCRYPT_DECRYPT".equals(key.keyUsage())) {
            throw new KmsException("InvalidKeyUsageException",
                    key.arn() + " key usage is " + key.keyUsage() + " which is not valid for " + operation + ".");
        }
        if (!SYMMETRIC.equals(key.keySpec())) {
            throw new KmsException("UnsupportedOperationException",
                    key.arn() + " is an asymmetric key; the embedded KMS encrypts only with symmetric keys.");
        }
        return key;
    }

    private byte[] material(KmsKey key) {
        return masterKey.unwrap(keys.wrappedMaterial(key.keyId())
                .orElseThrow(() -> new IllegalStateException("Key " + key.keyId() + " has no key material")));
    }

    // ---- resolution and rules

    private KmsKey authorized(KmsCaller caller, String keyRef, String action, boolean grantIsForAwsResource) {
        KmsKey key = resolve(caller, keyRef);
        authorize(key, caller, action, grantIsForAwsResource);
        return key;
    }

    private void authorize(KmsKey key, KmsCaller caller, String action, boolean grantIsForAwsResource) {
        KeyPolicy.Request request = new KeyPolicy.Request(action, caller, key.arn(), grantIsForAwsResource, clock.instant());
        switch (KeyPolicy.stored(key.policy()).evaluate(request)) {
            case EXPLICIT_DENY -> throw KmsException.accessDenied(caller.effectivePrincipal(), action, key.arn());
            case IMPLICIT_DENY -> throw KmsException.notAllowed(caller.effectivePrincipal(), action, key.arn());
            case ALLOW -> { }
        }
    }

    private KmsKey resolve(KmsCaller caller, String keyRef) {
        KeyReference reference = KmsArns.parse(keyRef, caller.accountId(), caller.region());
        String keyId;
        String arnForMessages;
        if (reference instanceof ByAlias alias) {
            keyId = aliases.find(caller.accountId(), caller.region(), alias.aliasName())
                    .orElseThrow(() -> KmsException.aliasNotFound(alias.arnForMessages()))
                    .targetKeyId();
            arnForMessages = KmsArns.keyArn(caller.accountId(), caller.region(), keyId);
        } else {
            ById byId = (ById) reference;
            keyId = byId.keyId();
            arnForMessages = byId.arnForMessages();
        }
        KmsKey key = keys.find(caller.accountId(), caller.region(), keyId)
                .orElseThrow(() -> KmsException.notFound(arnForMessages));
        if (deletedBy(key, clock.instant())) {
            keys.delete(key.keyId());
            throw KmsException.notFound(arnForMessages);
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

    private static void requireUsable(KmsKey key) {
        requireNotPendingDeletion(key);
        if (key.state() == KeyState.Disabled) {
            throw KmsException.disabled(key.arn());
        }
    }

    private static void requireDefaultPolicyName(String policyName) {
        if (policyName != null && !DEFAULT_POLICY_NAME.equals(policyName)) {
            throw new KmsException("NotFoundException", "No such policy exists: " + policyName);
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
        if (SYMMETRIC.equals(spec)) {
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
        if (spec.startsWith("ECC_NIST_P")) {
            return Set.of("SIGN_VERIFY", "KEY_AGREEMENT");
        }
        return Set.of("SIGN_VERIFY");
    }

    static String defaultPolicy(KmsCaller caller) {
        return """
                {"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions",\
                "Effect":"Allow","Principal":{"AWS":"arn:%s:iam::%s:root"},"Action":"kms:*","Resource":"*"}]}\
                """.formatted(AwsPartitions.of(caller.region()), caller.accountId());
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
