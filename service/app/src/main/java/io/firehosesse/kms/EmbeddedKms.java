package io.firehosesse.kms;

import io.firehosesse.api.AwsPartitions;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firehosesse.kms.KmsArns.ByAlias;
import io.firehosesse.kms.KmsArns.ById;
import io.firehosesse.kms.KmsArns.KeyReference;
import io.firehosesse.kms.KmsKey.KeyState;
import io.firehosesse.kms.KmsKeySpec.Usage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
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
    /** KMS's automatic rotation period when EnableKeyRotation names none (the model bounds it to 90..2560). */
    static final int DEFAULT_ROTATION_PERIOD_DAYS = 365;
    /** KMS's quota of on-demand rotations over a key's life. */
    static final int MAX_ON_DEMAND_ROTATIONS = 25;
    private static final String AUTOMATIC = "AUTOMATIC";
    private static final String ON_DEMAND = "ON_DEMAND";
    /** KMS's quota of tags on one key. */
    static final int MAX_TAGS_PER_KEY = 50;
    /** Tag keys AWS keeps for itself. */
    private static final String RESERVED_TAG_PREFIX = "aws:";
    private static final String TAG_KEY = "TagKey";
    private static final String TAG_VALUE = "TagValue";
    private static final String DEFAULT_POLICY_NAME = "default";
    private static final String SYMMETRIC = "SYMMETRIC_DEFAULT";
    private static final java.util.regex.Pattern ALIAS_NAME = java.util.regex.Pattern.compile("^alias/[a-zA-Z0-9/_-]+$");

    private final KmsKeyStore keys;
    private final KmsAliasStore aliases;
    private final KmsGrantStore grants;
    private final KmsKeyMaterialStore materials;
    private final KmsImportParametersStore importParameters;
    private final KmsKeyUsageStore usage;
    private final MasterKey masterKey;
    private final Clock clock;
    private final TransactionLocks locks;
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final ApplicationEventPublisher events;

    EmbeddedKms(KmsKeyStore keys, KmsAliasStore aliases, KmsGrantStore grants, KmsKeyMaterialStore materials,
                KmsImportParametersStore importParameters, KmsKeyUsageStore usage, MasterKey masterKey, Clock clock,
                TransactionLocks locks, ApplicationEventPublisher events) {
        this.importParameters = importParameters;
        this.usage = usage;
        this.events = events;
        this.materials = materials;
        this.keys = keys;
        this.aliases = aliases;
        this.grants = grants;
        this.masterKey = masterKey;
        this.clock = clock;
        this.locks = locks;
    }

    /** What a caller asked CreateKey for; null members take KMS's defaults. */
    public record NewKey(String description, String keySpec, String keyUsage, String policy, List<Map<String, String>> tags,
                         String origin, String customKeyStoreId, String xksKeyId, boolean multiRegion,
                         boolean bypassPolicyLockoutSafetyCheck) {

        public NewKey(String description, String keySpec, String keyUsage, String policy, List<Map<String, String>> tags) {
            this(description, keySpec, keyUsage, policy, tags, null, null, null, false, false);
        }
    }

    /** What a caller asked CreateGrant for. */
    public record NewGrant(String keyId, String granteePrincipal, String retiringPrincipal, List<String> operations,
                           Map<String, Map<String, String>> constraints, String name) {
    }

    public record IssuedGrant(String grantId, String grantToken) {
    }

    public record DataKey(String keyArn, byte[] plaintext, byte[] ciphertextBlob) {
    }

    public record Ciphertext(String keyArn, byte[] ciphertextBlob, String encryptionAlgorithm) {
    }

    public record Plaintext(String keyArn, byte[] plaintext, String encryptionAlgorithm) {
    }

    // ---- keys

    @Transactional(noRollbackFor = KmsException.class)
    public KmsKey create(KmsCaller caller, NewKey request) {
        // Keys in a custom key store (CloudHSM or external) would need a store this KMS does not have.
        if (request.customKeyStoreId() != null || request.xksKeyId() != null
                || "AWS_CLOUDHSM".equals(request.origin()) || "EXTERNAL_KEY_STORE".equals(request.origin())) {
            throw KmsException.customKeyStoresUnsupported();
        }
        if (request.multiRegion() && KmsKey.EXTERNAL.equals(request.origin())) {
            // Each replica would wait for the same material to be imported in its Region; see docs/kms.md.
            throw new KmsException("UnsupportedOperationException",
                    "Multi-Region keys with Origin EXTERNAL are not supported by this service.");
        }
        // The edge has checked the names against the model's enums, so a name unknown here is a model newer than us.
        KmsKeySpec spec = request.keySpec() == null ? KmsKeySpec.SYMMETRIC_DEFAULT : KmsKeySpec.named(request.keySpec())
                .orElseThrow(() -> new KmsException("UnsupportedOperationException",
                        "KeySpec " + request.keySpec() + " is not supported by this KMS."));
        if (spec.refusal() != null) {
            throw new KmsException("UnsupportedOperationException", spec.refusal());
        }
        Usage usage = request.keyUsage() == null ? spec.defaultUsage() : Usage.valueOf(request.keyUsage());
        if (!spec.allows(usage)) {
            throw KmsException.validation("KeyUsage " + usage + " is not compatible with KeySpec " + spec + ".");
        }
        String keyId = request.multiRegion() ? multiRegionKeyId() : UUID.randomUUID().toString();
        String primaryRegion = request.multiRegion() ? caller.region() : null;
        String policy = request.policy() == null ? defaultPolicy(caller) : request.policy();
        KeyPolicy parsed = KeyPolicy.parse(policy);
        if (!request.bypassPolicyLockoutSafetyCheck()) {
            requireNoLockout(parsed, caller, KmsArns.keyArn(caller.accountId(), caller.region(), keyId));
        }
        boolean external = KmsKey.EXTERNAL.equals(request.origin());
        if (external && spec.family() != KmsKeySpec.Family.SYMMETRIC && spec.family() != KmsKeySpec.Family.HMAC) {
            // Importing a private key would need its public half derived; see docs/kms.md.
            throw new KmsException("UnsupportedOperationException", "Origin EXTERNAL with KeySpec " + spec
                    + " is not supported by this service: it imports symmetric and HMAC key material only.");
        }
        List<KmsTag> tags = withTags(List.of(), toTags(request.tags()));
        if (external) {
            KmsKey key = newKey(keyId, caller.accountId(), caller.region(), request.description(), spec, usage.name(),
                    policy, false, KeyState.PendingImport, KmsKey.EXTERNAL, null);
            keys.insert(key, writeTags(tags), null, null);
            return key;
        }
        return insertKey(keyId, caller.accountId(), caller.region(), request.description(), spec, usage.name(), policy,
                tags, false, primaryRegion);
    }

    /** A multi-Region key's id, which its primary and replicas share: {@code mrk-} and 32 hex digits, as in KMS. */
    private String multiRegionKeyId() {
        byte[] id = new byte[16];
        random.nextBytes(id);
        return KmsKey.MULTI_REGION_PREFIX + HexFormat.of().formatHex(id);
    }

    /**
     * The key this service keeps for {@code AWS_OWNED_CMK} streams: made on first use, never listed to users.
     * Made and committed in a transaction of its own: the first put that needs it may roll back or die, while
     * other puts already seal records under data keys of this key, which must therefore exist for good.
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW, noRollbackFor = KmsException.class)
    public KmsKey awsOwnedKey(String accountId, String region) {
        locks.lock("aws-owned/" + accountId + "/" + region);
        return keys.findAwsOwned(accountId, region).orElseGet(() -> insertKey(UUID.randomUUID().toString(), accountId, region,
                "Key owned by the service for AWS_OWNED_CMK delivery streams", KmsKeySpec.SYMMETRIC_DEFAULT, "ENCRYPT_DECRYPT",
                defaultPolicy(KmsCaller.direct(accountId, region, null)), List.of(), true, null));
    }

    private KmsKey newKey(String keyId, String accountId, String region, String description, KmsKeySpec spec,
                          String usage, String policy, boolean awsOwned, KeyState state, String origin,
                          String primaryRegion) {
        return new KmsKey(keyId, accountId, region, KmsArns.keyArn(accountId, region, keyId),
                description == null ? "" : description, spec.name(), usage, state,
                clock.instant().truncatedTo(ChronoUnit.MILLIS), null, null, policy, awsOwned, origin, null, null,
                primaryRegion);
    }

    private KmsKey insertKey(String keyId, String accountId, String region, String description, KmsKeySpec spec,
                             String usage, String policy, List<KmsTag> tags, boolean awsOwned, String primaryRegion) {
        KmsKey key = newKey(keyId, accountId, region, description, spec, usage, policy, awsOwned, KeyState.Enabled,
                KmsKey.AWS_KMS, primaryRegion);
        byte[] wrapped;
        byte[] publicKey = null;
        if (spec.family().asymmetric()) {
            byte[][] pair = KmsAlgorithms.generateKeyPair(spec);
            wrapped = masterKey.wrap(pair[0], keyId);
            publicKey = pair[1];
        } else {
            // Symmetric and HMAC keys are random bytes of the spec's length.
            byte[] material = new byte[spec.bits() / 8];
            random.nextBytes(material);
            wrapped = masterKey.wrap(material, keyId);
        }
        keys.insert(key, writeTags(tags), wrapped, publicKey);
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
        requireNotPendingImport(key);
        keys.updateState(key.rowId(), KeyState.Enabled, null, null);
    }

    @Transactional(noRollbackFor = KmsException.class)
    public void disable(KmsCaller caller, String keyRef) {
        KmsKey key = authorized(caller, keyRef, "kms:DisableKey", false);
        requireNotPendingDeletion(key);
        requireNotPendingImport(key);
        keys.updateState(key.rowId(), KeyState.Disabled, null, null);
        events.publishEvent(new KmsKeyChanged(key.keyId()));
    }

    @Transactional(noRollbackFor = KmsException.class)
    public KmsKey scheduleDeletion(KmsCaller caller, String keyRef, Integer pendingWindowInDays) {
        int days = requirePendingWindow(pendingWindowInDays);
        KmsKey key = authorized(caller, keyRef, "kms:ScheduleKeyDeletion", false);
        requireNotPendingDeletion(key);
        if (key.multiRegion() && !key.replica() && multiRegionKeys(key).size() > 1) {
            // KMS would hold such a primary in PendingReplicaDeletion until its last replica is gone; see docs/kms.md.
            throw new KmsException("UnsupportedOperationException", key.arn() + " is a multi-Region primary key that"
                    + " has replica keys: delete the replicas first, or make another Region primary with UpdatePrimaryRegion.");
        }
        Instant deletion = clock.instant().plus(Duration.ofDays(days)).truncatedTo(ChronoUnit.MILLIS);
        keys.updateState(key.rowId(), KeyState.PendingDeletion, deletion, days);
        events.publishEvent(new KmsKeyChanged(key.keyId()));
        return resolve(caller, key.keyId());
    }

    /** The deletion window asked for, or KMS's default; KMS takes 7 to 30 days. */
    public static int requirePendingWindow(Integer pendingWindowInDays) {
        int days = pendingWindowInDays == null ? DEFAULT_PENDING_WINDOW_DAYS : pendingWindowInDays;
        if (days < 7 || days > 30) {
            throw KmsException.validation("1 validation error detected: Value '" + days
                    + "' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30");
        }
        return days;
    }

    @Transactional(noRollbackFor = KmsException.class)
    public KmsKey cancelDeletion(KmsCaller caller, String keyRef) {
        KmsKey key = authorized(caller, keyRef, "kms:CancelKeyDeletion", false);
        if (key.state() != KeyState.PendingDeletion) {
            throw KmsException.invalidState(key.arn() + " is not pending deletion.");
        }
        // KMS leaves a key whose deletion was cancelled disabled, so it cannot be used by surprise; an imported key
        // without material goes back to waiting for it.
        boolean noMaterial = key.external() && keys.wrappedMaterial(key.rowId()).isEmpty();
        keys.updateState(key.rowId(), noMaterial ? KeyState.PendingImport : KeyState.Disabled, null, null);
        return resolve(caller, key.keyId());
    }

    // ---- multi-Region keys

    /** What a caller asked ReplicateKey for; null members take KMS's defaults. */
    public record NewReplica(String keyId, String replicaRegion, String policy, boolean bypassPolicyLockoutSafetyCheck,
                             String description, List<Map<String, String>> tags) {
    }

    public record Replica(KmsKey key, List<KmsTag> tags) {
    }

    /**
     * The primary and replicas of a multi-Region key that are not past their deletion, in Region order; only the key
     * itself for a single-Region key. For DescribeKey's MultiRegionConfiguration.
     */
    @Transactional(readOnly = true)
    public List<KmsKey> multiRegionKeys(KmsKey key) {
        if (!key.multiRegion()) {
            return List.of(key);
        }
        Instant now = clock.instant();
        return keys.multiRegionKeys(key.accountId(), key.keyId()).stream().filter(k -> !deletedBy(k, now)).toList();
    }

    /**
     * A replica of a multi-Region primary key in another Region of the account: the same key id, spec, usage, origin
     * and key material (every rotation's too), its own policy, description, tags, state, aliases and grants. Asked in
     * the primary's Region, as in KMS; made at once, so it is never seen in KMS's transient Creating state.
     */
    @Transactional(noRollbackFor = KmsException.class)
    public Replica replicate(KmsCaller caller, NewReplica request) {
        KmsKey primary = authorized(caller, request.keyId(), "kms:ReplicateKey", false);
        requirePrimary(primary);
        requireUsable(primary);
        String region = request.replicaRegion();
        if (region.equals(caller.region())) {
            throw KmsException.validation("ReplicaRegion " + region + " is the Region of the primary key " + primary.arn()
                    + "; a replica must be in another Region.");
        }
        if (!AwsPartitions.of(region).equals(AwsPartitions.of(caller.region()))) {
            throw KmsException.validation("ReplicaRegion " + region + " is not in the partition of " + primary.arn() + ".");
        }
        locks.lock("multi-region/" + primary.accountId() + "/" + primary.keyId());
        var existing = keys.find(caller.accountId(), region, primary.keyId());
        if (existing.isPresent()) {
            if (!deletedBy(existing.get(), clock.instant())) {
                throw new KmsException("AlreadyExistsException", "Multi-Region key " + primary.keyId()
                        + " already has a replica in " + region + ": " + existing.get().arn());
            }
            keys.delete(existing.get().rowId());
        }
        KmsCaller inReplicaRegion = new KmsCaller(caller.accountId(), region, caller.principalArn(), caller.viaService(),
                caller.servicePrincipal(), caller.sourceIp(), caller.requestId());
        String policy = request.policy() == null ? defaultPolicy(inReplicaRegion) : request.policy();
        KeyPolicy parsed = KeyPolicy.parse(policy);
        if (!request.bypassPolicyLockoutSafetyCheck()) {
            requireNoLockout(parsed, inReplicaRegion, KmsArns.keyArn(caller.accountId(), region, primary.keyId()));
        }
        List<KmsTag> tags = withTags(List.of(), toTags(request.tags()));
        KmsKey replica = newKey(primary.keyId(), caller.accountId(), region, request.description(), spec(primary),
                primary.keyUsage(), policy, false, KeyState.Enabled, primary.origin(), primary.primaryRegion());
        keys.insert(replica, writeTags(tags), keys.wrappedMaterial(primary.rowId()).orElse(null),
                keys.publicKey(primary.rowId()).orElse(null));
        materials.copy(primary.rowId(), replica.rowId());
        return new Replica(replica, tags);
    }

    /**
     * Makes the replica in {@code primaryRegion} the primary and the primary a replica. Asked in the primary's Region,
     * as in KMS; done at once (no transient Updating state). The automatic rotation schedule moves with the role.
     */
    @Transactional(noRollbackFor = KmsException.class)
    public void updatePrimaryRegion(KmsCaller caller, String keyRef, String primaryRegion) {
        KmsKey primary = authorized(caller, keyRef, "kms:UpdatePrimaryRegion", false);
        requirePrimary(primary);
        requireNotPendingDeletion(primary);
        if (primaryRegion.equals(primary.region())) {
            throw KmsException.validation(primary.arn() + " is already the primary key; PrimaryRegion must name the"
                    + " Region of one of its replicas.");
        }
        locks.lock("multi-region/" + primary.accountId() + "/" + primary.keyId());
        KmsKey replica = keys.find(primary.accountId(), primaryRegion, primary.keyId())
                .filter(k -> !deletedBy(k, clock.instant()))
                .orElseThrow(() -> KmsException.notFound(KmsArns.keyArn(primary.accountId(), primaryRegion, primary.keyId())));
        requireNotPendingDeletion(replica);
        keys.updatePrimaryRegion(primary.accountId(), primary.keyId(), primaryRegion);
        materials.updateSchedule(replica.rowId(), materials.schedule(primary.rowId()));
        materials.updateSchedule(primary.rowId(), new KmsKeyMaterialStore.Schedule(null, null));
    }

    /** ReplicateKey and UpdatePrimaryRegion work on a multi-Region primary key only. */
    private static void requirePrimary(KmsKey key) {
        if (!key.multiRegion()) {
            throw new KmsException("UnsupportedOperationException", key.arn() + " is not a multi-Region key.");
        }
        if (key.replica()) {
            throw new KmsException("UnsupportedOperationException", key.arn() + " is a multi-Region replica key; call"
                    + " this on its primary key in " + key.primaryRegion() + ".");
        }
    }

    @Transactional(noRollbackFor = KmsException.class)
    public void updateDescription(KmsCaller caller, String keyRef, String description) {
        KmsKey key = authorized(caller, keyRef, "kms:UpdateKeyDescription", false);
        requireNotPendingDeletion(key);
        keys.updateDescription(key.rowId(), description);
    }

    // ---- tags

    /** Adds tags to a key; a tag whose key the key already has replaces its value, as in KMS. */
    @Transactional(noRollbackFor = KmsException.class)
    public void tag(KmsCaller caller, String keyRef, List<KmsTag> added) {
        KmsKey key = authorized(caller, keyRef, "kms:TagResource", false);
        requireNotPendingDeletion(key);
        locks.lock("tags/" + key.rowId());
        keys.updateTags(key.rowId(), writeTags(withTags(readTags(key.rowId()), added)));
    }

    @Transactional(noRollbackFor = KmsException.class)
    public void untag(KmsCaller caller, String keyRef, List<String> tagKeys) {
        KmsKey key = authorized(caller, keyRef, "kms:UntagResource", false);
        requireNotPendingDeletion(key);
        for (String tagKey : tagKeys) {
            requireUserTagKey(tagKey);
        }
        locks.lock("tags/" + key.rowId());
        Set<String> removed = Set.copyOf(tagKeys);
        keys.updateTags(key.rowId(), writeTags(readTags(key.rowId()).stream()
                .filter(tag -> !removed.contains(tag.tagKey())).toList()));
    }

    /** The key's tags in tag key order, after {@code afterTagKey}; works in every key state, as in KMS. */
    @Transactional(noRollbackFor = KmsException.class)
    public List<KmsTag> listTags(KmsCaller caller, String keyRef, String afterTagKey, int limit) {
        KmsKey key = authorized(caller, keyRef, "kms:ListResourceTags", false);
        return readTags(key.rowId()).stream()
                .filter(tag -> afterTagKey == null || tag.tagKey().compareTo(afterTagKey) > 0)
                .limit(limit)
                .toList();
    }

    /** {@code current} with {@code added} put in (same key, new value), checked against KMS's tag rules. */
    private static List<KmsTag> withTags(List<KmsTag> current, List<KmsTag> added) {
        TreeMap<String, String> byKey = new TreeMap<>();
        current.forEach(tag -> byKey.put(tag.tagKey(), tag.tagValue()));
        Set<String> seen = new HashSet<>();
        for (KmsTag tag : added) {
            requireUserTagKey(tag.tagKey());
            if (!seen.add(tag.tagKey())) {
                throw new KmsException("TagException", "Duplicate tag keys: " + tag.tagKey());
            }
            byKey.put(tag.tagKey(), tag.tagValue() == null ? "" : tag.tagValue());
        }
        if (byKey.size() > MAX_TAGS_PER_KEY) {
            throw new KmsException("LimitExceededException", "A KMS key can have at most " + MAX_TAGS_PER_KEY
                    + " tags; this request would leave it " + byKey.size() + ".");
        }
        return byKey.entrySet().stream().map(e -> new KmsTag(e.getKey(), e.getValue())).toList();
    }

    private static void requireUserTagKey(String tagKey) {
        if (tagKey == null || tagKey.isEmpty()) {
            throw new KmsException("TagException", "A tag key must not be empty.");
        }
        if (tagKey.regionMatches(true, 0, RESERVED_TAG_PREFIX, 0, RESERVED_TAG_PREFIX.length())) {
            throw new KmsException("TagException", "Tag keys beginning with " + RESERVED_TAG_PREFIX
                    + " are reserved for AWS: " + tagKey);
        }
    }

    /** Tags as the wire gives them (maps of TagKey and TagValue); null is none. */
    public static List<KmsTag> toTags(List<Map<String, String>> wire) {
        return wire == null ? List.of() : wire.stream().map(m -> new KmsTag(m.get(TAG_KEY), m.get(TAG_VALUE))).toList();
    }

    private List<KmsTag> readTags(String keyId) {
        try {
            List<Map<String, String>> stored = json.readValue(keys.tagsJson(keyId),
                    new TypeReference<List<Map<String, String>>>() { });
            return toTags(stored).stream().sorted(Comparator.comparing(KmsTag::tagKey)).toList();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored tags of key " + keyId + " do not read", e);
        }
    }

    /** Tags are stored as KMS spells them on the wire, as CreateKey has always stored them. */
    private String writeTags(List<KmsTag> tags) {
        return write(tags.stream().map(tag -> Map.of(TAG_KEY, tag.tagKey(), TAG_VALUE, tag.tagValue())).toList());
    }

    // ---- rotation

    /** What GetKeyRotationStatus reports; period and next date only while automatic rotation is on. */
    public record RotationStatus(String keyArn, boolean enabled, Integer periodDays, Instant nextRotationDate) {
    }

    /** One rotation of a key, as ListKeyRotations lists it. */
    public record Rotation(String keyArn, int generation, String materialId, boolean current, Instant rotationDate,
                           String rotationType) {
    }

    /** Turns automatic rotation on (or changes its period); the next rotation is one period from now. */
    @Transactional(noRollbackFor = KmsException.class)
    public void enableRotation(KmsCaller caller, String keyRef, Integer periodInDays) {
        KmsKey key = rotatable(caller, keyRef, "kms:EnableKeyRotation");
        requireUsable(key);
        int days = periodInDays == null ? DEFAULT_ROTATION_PERIOD_DAYS : periodInDays;
        materials.updateSchedule(key.rowId(), new KmsKeyMaterialStore.Schedule(days,
                clock.instant().plus(Duration.ofDays(days)).truncatedTo(ChronoUnit.MILLIS)));
    }

    @Transactional(noRollbackFor = KmsException.class)
    public void disableRotation(KmsCaller caller, String keyRef) {
        KmsKey key = rotatable(caller, keyRef, "kms:DisableKeyRotation");
        requireUsable(key);
        materials.updateSchedule(key.rowId(), new KmsKeyMaterialStore.Schedule(null, null));
    }

    @Transactional(noRollbackFor = KmsException.class)
    public RotationStatus rotationStatus(KmsCaller caller, String keyRef) {
        KmsKey key = rotatable(caller, keyRef, "kms:GetKeyRotationStatus");
        requireNotPendingDeletion(key);
        // A replica rotates with its primary, whose schedule it reports, as in KMS.
        KmsKeyMaterialStore.Schedule schedule = materials.schedule(primaryRowId(key));
        return new RotationStatus(key.arn(), schedule.periodDays() != null, schedule.periodDays(),
                schedule.nextRotationDate());
    }

    /**
     * Adds new material at once; it seals from now on and the earlier material still opens what it sealed.
     * The automatic schedule is left as it was, as in KMS.
     */
    @Transactional(noRollbackFor = KmsException.class)
    public String rotateOnDemand(KmsCaller caller, String keyRef) {
        KmsKey key = rotatable(caller, keyRef, "kms:RotateKeyOnDemand");
        requireUsable(key);
        locks.lock("rotation/" + key.rowId());
        if (materials.count(key.rowId(), ON_DEMAND) >= MAX_ON_DEMAND_ROTATIONS) {
            throw new KmsException("LimitExceededException", key.arn() + " has reached its limit of "
                    + MAX_ON_DEMAND_ROTATIONS + " on-demand rotations.");
        }
        addMaterial(key, ON_DEMAND);
        return key.arn();
    }

    /** The key's rotations, oldest first, after the generation {@code marker} names. */
    @Transactional(noRollbackFor = KmsException.class)
    public List<Rotation> listRotations(KmsCaller caller, String keyRef, String marker, int limit) {
        KmsKey key = rotatable(caller, keyRef, "kms:ListKeyRotations");
        int after;
        try {
            after = marker == null ? 0 : Integer.parseInt(marker);
        } catch (NumberFormatException notOurs) {
            throw new KmsException("InvalidMarkerException", "The marker is not valid.");
        }
        int newest = materials.newest(key.rowId()).map(KmsKeyMaterialStore.Material::generation).orElse(0);
        return materials.list(key.rowId(), after, limit).stream()
                .map(m -> new Rotation(key.arn(), m.generation(), m.materialId(), m.generation() == newest,
                        m.rotationDate(), m.rotationType()))
                .toList();
    }

    /**
     * Rotates every enabled key whose automatic rotation is due by the clock, and moves its next date one period on.
     * Run periodically by {@link KmsRotationSweep}; tests call it after moving the clock.
     */
    @Transactional
    public int rotateDueKeys() {
        Instant now = clock.instant();
        int rotated = 0;
        for (String keyId : materials.due(now)) {
            locks.lock("rotation/" + keyId);
            // Read again under the lock: another instance's sweep may have rotated it meanwhile.
            KmsKeyMaterialStore.Schedule schedule = materials.schedule(keyId);
            if (schedule.periodDays() == null || schedule.nextRotationDate().isAfter(now)) {
                continue;
            }
            KmsKey key = keys.findById(keyId).orElseThrow();
            addMaterial(key, AUTOMATIC);
            materials.updateSchedule(keyId, new KmsKeyMaterialStore.Schedule(schedule.periodDays(),
                    now.plus(Duration.ofDays(schedule.periodDays())).truncatedTo(ChronoUnit.MILLIS)));
            rotated++;
        }
        return rotated;
    }

    /** New material for the key, and for a multi-Region key for its primary and every replica alike, as in KMS. */
    private void addMaterial(KmsKey key, String rotationType) {
        byte[] material = new byte[KmsKeySpec.SYMMETRIC_DEFAULT.bits() / 8];
        random.nextBytes(material);
        byte[] id = new byte[32];
        random.nextBytes(id);
        int generation = materials.newest(key.rowId()).map(KmsKeyMaterialStore.Material::generation).orElse(0) + 1;
        var added = new KmsKeyMaterialStore.Material(generation, HexFormat.of().formatHex(id), masterKey.wrap(material, key.keyId()),
                clock.instant().truncatedTo(ChronoUnit.MILLIS), rotationType);
        List<KmsKey> rows = key.multiRegion() ? keys.multiRegionKeys(key.accountId(), key.keyId()) : List.of(key);
        for (KmsKey row : rows) {
            materials.insert(row.rowId(), added);
        }
    }

    private static String primaryRowId(KmsKey key) {
        return key.multiRegion() ? KmsKey.rowId(key.keyId(), key.primaryRegion()) : key.rowId();
    }

    /** What a replica refuses: its rotation is its primary's. */
    private static final Set<String> ROTATION_CHANGES = Set.of("kms:EnableKeyRotation", "kms:DisableKeyRotation",
            "kms:RotateKeyOnDemand");

    /** The key, allowed {@code action}; KMS rotates only symmetric encryption keys (UnsupportedOperationException). */
    private KmsKey rotatable(KmsCaller caller, String keyRef, String action) {
        KmsKey key = authorized(caller, keyRef, action, false);
        if (key.replica() && ROTATION_CHANGES.contains(action)) {
            throw new KmsException("UnsupportedOperationException", key.arn() + " is a multi-Region replica key, which"
                    + " rotates with its primary key in " + key.primaryRegion() + ": manage rotation there.");
        }
        if (!SYMMETRIC.equals(key.keySpec())) {
            throw new KmsException("UnsupportedOperationException", key.arn() + " key spec is " + key.keySpec()
                    + "; only symmetric encryption keys can be rotated.");
        }
        if (key.external()) {
            throw new KmsException("UnsupportedOperationException", key.arn() + " has imported key material, which this"
                    + " service does not rotate.");
        }
        return key;
    }

    /** Seals under the key's newest material: the one the latest rotation added, or the first. */
    private byte[] sealSymmetric(KmsKey key, byte[] plaintext, Map<String, String> context) {
        var newest = materials.newest(key.rowId());
        if (newest.isEmpty()) {
            return KmsCrypto.encrypt(key.keyId(), null, material(key), plaintext, context);
        }
        return KmsCrypto.encrypt(key.keyId(), newest.get().materialId(), masterKey.unwrap(newest.get().wrapped(), key.keyId()),
                plaintext, context);
    }

    /** Opens with the material the blob names, so ciphertext made before a rotation still opens. */
    private byte[] openSymmetric(KmsKey key, byte[] blob, Map<String, String> context) {
        String materialId = KmsCrypto.materialIdOf(blob);
        if (materialId == null) {
            return KmsCrypto.decrypt(blob, material(key), context);
        }
        KmsKeyMaterialStore.Material rotated = materials.find(key.rowId(), materialId)
                .orElseThrow(() -> new KmsException("InvalidCiphertextException", null));
        return KmsCrypto.decrypt(blob, masterKey.unwrap(rotated.wrapped(), key.keyId()), context);
    }

    // ---- imported key material

    /** How long a GetParametersForImport's wrapping key and token stay valid, as in KMS. */
    static final Duration IMPORT_PARAMETERS_VALIDITY = Duration.ofHours(24);
    /** The latest ValidTo KMS accepts for imported material, counted from the import. */
    static final Duration MAX_MATERIAL_VALIDITY = Duration.ofDays(365);
    private static final String EXPIRES = "KEY_MATERIAL_EXPIRES";
    private static final String DOES_NOT_EXPIRE = "KEY_MATERIAL_DOES_NOT_EXPIRE";
    private static final Set<String> WRAPPING_ALGORITHMS = Set.of("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256",
            "RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256");

    /** What GetParametersForImport hands out. */
    public record ImportParameters(String keyArn, byte[] importToken, byte[] publicKey, Instant validTo) {
    }

    /** A key and the id of the imported material an operation dealt with. */
    public record ImportedMaterial(String keyArn, String keyMaterialId) {
    }

    /** What ImportKeyMaterial was given beyond the key. */
    public record MaterialImport(byte[] importToken, byte[] encryptedKeyMaterial, Instant validTo, String expirationModel,
                                 String importType, String keyMaterialId) {
    }

    @Transactional(noRollbackFor = KmsException.class)
    public ImportParameters parametersForImport(KmsCaller caller, String keyRef, String wrappingAlgorithm,
                                                String wrappingKeySpec) {
        KmsKey key = importable(caller, keyRef, "kms:GetParametersForImport");
        if ("SM2".equals(wrappingKeySpec) || "SM2PKE".equals(wrappingAlgorithm)) {
            throw new KmsException("UnsupportedOperationException", "SM2 wrapping is available only in China Regions.");
        }
        if (!WRAPPING_ALGORITHMS.contains(wrappingAlgorithm)) {
            // RSAES_PKCS1_V1_5: KMS no longer takes it for new imports.
            throw new KmsException("UnsupportedOperationException", "WrappingAlgorithm " + wrappingAlgorithm
                    + " is not supported. Use RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, RSA_AES_KEY_WRAP_SHA_1 or"
                    + " RSA_AES_KEY_WRAP_SHA_256.");
        }
        int bits = Integer.parseInt(wrappingKeySpec.substring("RSA_".length()));
        byte[][] pair = KmsAlgorithms.generateWrappingKeyPair(bits);
        byte[] token = new byte[64];
        random.nextBytes(token);
        Instant validTo = clock.instant().plus(IMPORT_PARAMETERS_VALIDITY).truncatedTo(ChronoUnit.MILLIS);
        importParameters.put(key.rowId(), new KmsImportParametersStore.Parameters(wrappingAlgorithm, wrappingKeySpec,
                masterKey.wrap(pair[0], key.keyId()), sha256(token), validTo));
        return new ImportParameters(key.arn(), token, pair[1], validTo);
    }

    /**
     * Imports material wrapped with the key's latest import parameters. Once a key has had material, only that same
     * material may be imported again (IncorrectKeyMaterialException), so everything it encrypted opens again.
     */
    @Transactional(noRollbackFor = KmsException.class)
    public ImportedMaterial importMaterial(KmsCaller caller, String keyRef, MaterialImport request) {
        KmsKey key = importable(caller, keyRef, "kms:ImportKeyMaterial");
        locks.lock("import/" + key.rowId());
        if ("NEW_KEY_MATERIAL".equals(request.importType())) {
            throw new KmsException("UnsupportedOperationException", "ImportType NEW_KEY_MATERIAL (rotating imported key"
                    + " material) is not supported by this service.");
        }
        String model = request.expirationModel() != null ? request.expirationModel()
                : request.validTo() != null ? EXPIRES : DOES_NOT_EXPIRE;
        Instant now = clock.instant();
        if (EXPIRES.equals(model)) {
            if (request.validTo() == null) {
                throw KmsException.validation("ValidTo is required when ExpirationModel is KEY_MATERIAL_EXPIRES.");
            }
            if (!request.validTo().isAfter(now) || request.validTo().isAfter(now.plus(MAX_MATERIAL_VALIDITY))) {
                throw KmsException.validation("ValidTo must be in the future and at most 365 days from now.");
            }
        } else if (request.validTo() != null) {
            throw KmsException.validation("ValidTo must be omitted when ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE.");
        }
        KmsImportParametersStore.Parameters parameters = importParameters.find(key.rowId())
                .filter(p -> MessageDigest.isEqual(p.tokenDigest(), sha256(request.importToken())))
                .orElseThrow(() -> new KmsException("InvalidImportTokenException",
                        "The import token is not valid for " + key.arn() + "."));
        if (!parameters.validTo().isAfter(now)) {
            throw new KmsException("ExpiredImportTokenException", "The import token expired at " + parameters.validTo()
                    + "; call GetParametersForImport again.");
        }
        byte[] material = KmsAlgorithms.unwrapImported(parameters.wrappingAlgorithm(),
                masterKey.unwrap(parameters.wrappedPrivateKey(), key.keyId()),
                Integer.parseInt(parameters.wrappingKeySpec().substring("RSA_".length())), request.encryptedKeyMaterial());
        requireImportableLength(key, material);
        String materialId = masterKey.fingerprint(material);
        var earlier = keys.importedMaterialId(key.rowId());
        if (earlier.isPresent() && !earlier.get().equals(materialId)) {
            throw new KmsException("IncorrectKeyMaterialException", "The key material is not the key material that was"
                    + " previously imported into " + key.arn() + ".");
        }
        if (request.keyMaterialId() != null && earlier.isPresent() && !request.keyMaterialId().equals(materialId)) {
            throw new KmsException("IncorrectKeyMaterialException", "The key material does not have KeyMaterialId "
                    + request.keyMaterialId() + ".");
        }
        KeyState state = key.state() == KeyState.PendingImport ? KeyState.Enabled : key.state();
        keys.updateImportedMaterial(key.rowId(), masterKey.wrap(material, key.keyId()), state, model,
                EXPIRES.equals(model) ? request.validTo().truncatedTo(ChronoUnit.MILLIS) : null, materialId);
        events.publishEvent(new KmsKeyChanged(key.keyId()));
        return new ImportedMaterial(key.arn(), materialId);
    }

    /** Deletes the key's imported material; the key is PendingImport until the same material is imported again. */
    @Transactional(noRollbackFor = KmsException.class)
    public ImportedMaterial deleteImportedMaterial(KmsCaller caller, String keyRef, String keyMaterialId) {
        KmsKey key = importable(caller, keyRef, "kms:DeleteImportedKeyMaterial");
        locks.lock("import/" + key.rowId());
        String materialId = keys.importedMaterialId(key.rowId()).orElse(null);
        if (keyMaterialId != null && !keyMaterialId.equals(materialId)) {
            throw new KmsException("NotFoundException", "Key material " + keyMaterialId + " of " + key.arn()
                    + " does not exist.");
        }
        keys.updateImportedMaterial(key.rowId(), null, KeyState.PendingImport, null, null, null);
        events.publishEvent(new KmsKeyChanged(key.keyId()));
        return new ImportedMaterial(key.arn(), materialId);
    }

    /** The key, allowed {@code action}, of Origin EXTERNAL and not pending deletion. */
    private KmsKey importable(KmsCaller caller, String keyRef, String action) {
        KmsKey key = authorized(caller, keyRef, action, false);
        if (!key.external()) {
            throw new KmsException("UnsupportedOperationException", key.arn() + " origin is " + key.origin()
                    + "; only keys with Origin EXTERNAL take imported key material.");
        }
        requireNotPendingDeletion(key);
        return key;
    }

    /** Symmetric material is 256 bits; HMAC material as long as KMS takes for the spec (its hash's block size at most). */
    private static void requireImportableLength(KmsKey key, byte[] material) {
        KmsKeySpec spec = spec(key);
        int min = spec.bits() / 8;
        int max = spec.family() == KmsKeySpec.Family.HMAC ? (spec.bits() <= 256 ? 64 : 128) : min;
        if (material.length < min || material.length > max) {
            throw new KmsException("IncorrectKeyMaterialException", "Key material for " + spec + " must be "
                    + (min == max ? min : min + " to " + max) + " bytes; got " + material.length + ".");
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes == null ? new byte[0] : bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- key policies

    /** A key has one policy, named {@code default}, in KMS as here. */
    @Transactional(noRollbackFor = KmsException.class)
    public List<String> listPolicies(KmsCaller caller, String keyRef) {
        authorized(caller, keyRef, "kms:ListKeyPolicies", false);
        return List.of(DEFAULT_POLICY_NAME);
    }

    @Transactional(noRollbackFor = KmsException.class)
    public String getPolicy(KmsCaller caller, String keyRef, String policyName) {
        requireDefaultPolicyName(policyName);
        return authorized(caller, keyRef, "kms:GetKeyPolicy", false).policy();
    }

    @Transactional(noRollbackFor = KmsException.class)
    public void putPolicy(KmsCaller caller, String keyRef, String policyName, String policy) {
        putPolicy(caller, keyRef, policyName, policy, false);
    }

    /**
     * Replaces the key's policy. Unless {@code bypassLockoutSafetyCheck}, the new policy must still let the caller
     * call PutKeyPolicy, as KMS's policy lockout safety check requires.
     */
    @Transactional(noRollbackFor = KmsException.class)
    public void putPolicy(KmsCaller caller, String keyRef, String policyName, String policy,
                          boolean bypassLockoutSafetyCheck) {
        requireDefaultPolicyName(policyName);
        KmsKey key = authorized(caller, keyRef, "kms:PutKeyPolicy", false);
        requireNotPendingDeletion(key);
        KeyPolicy parsed = KeyPolicy.parse(policy);
        if (!bypassLockoutSafetyCheck) {
            requireNoLockout(parsed, caller, key.arn());
        }
        keys.updatePolicy(key.rowId(), policy);
        events.publishEvent(new KmsKeyChanged(key.keyId()));
    }

    /**
     * KMS's policy lockout safety check: a policy that would not let the principal setting it call PutKeyPolicy
     * afterwards could leave the key unmanageable, so KMS refuses it unless told to bypass the check. The principal is
     * judged as it is now (same address, no encryption context).
     */
    private void requireNoLockout(KeyPolicy policy, KmsCaller caller, String keyArn) {
        KeyPolicy.Request putPolicy = new KeyPolicy.Request("kms:PutKeyPolicy", caller, keyArn, false, clock.instant());
        if (policy.evaluate(putPolicy) != KeyPolicy.Decision.ALLOW) {
            throw KeyPolicy.malformed("The new key policy will not allow you to update the key policy in the future.");
        }
    }

    // ---- aliases

    @Transactional(noRollbackFor = KmsException.class)
    public void createAlias(KmsCaller caller, String aliasName, String targetKeyRef) {
        requireUserAliasName(aliasName);
        KmsKey target = authorized(caller, targetKeyRef, "kms:CreateAlias", false);
        requireNotPendingDeletion(target);
        KmsAlias alias = new KmsAlias(aliasName, KmsArns.aliasArn(caller.accountId(), caller.region(), aliasName),
                target.rowId(), clock.instant().truncatedTo(ChronoUnit.MILLIS));
        if (!aliases.insert(caller.accountId(), caller.region(), alias)) {
            throw new KmsException("AlreadyExistsException", "An alias with the name " + alias.aliasArn() + " already exists");
        }
    }

    /**
     * Points an alias at another key. KMS requires the new key to be of the same type as the current one (both
     * symmetric, both asymmetric or both HMAC) and of the same usage, and checks kms:UpdateAlias on both keys.
     */
    @Transactional(noRollbackFor = KmsException.class)
    public void updateAlias(KmsCaller caller, String aliasName, String targetKeyRef) {
        requireUserAliasName(aliasName);
        KmsAlias alias = aliases.find(caller.accountId(), caller.region(), aliasName)
                .orElseThrow(() -> KmsException.aliasNotFound(KmsArns.aliasArn(caller.accountId(), caller.region(), aliasName)));
        KmsKey current = authorized(caller, alias.targetKeyId(), "kms:UpdateAlias", false);
        KmsKey target = authorized(caller, targetKeyRef, "kms:UpdateAlias", false);
        requireNotPendingDeletion(target);
        if (!keyType(current).equals(keyType(target)) || !current.keyUsage().equals(target.keyUsage())) {
            // KMS names no error of its own for this; it is a request KMS rejects as invalid.
            throw KmsException.validation("Alias " + alias.aliasArn() + " points to a " + keyType(current)
                    + " key with KeyUsage " + current.keyUsage() + "; " + target.arn() + " is a " + keyType(target)
                    + " key with KeyUsage " + target.keyUsage() + ".");
        }
        aliases.retarget(caller.accountId(), caller.region(), aliasName, target.rowId());
    }

    @Transactional(noRollbackFor = KmsException.class)
    public List<KmsAlias> listAliases(KmsCaller caller, String keyRef, String afterName, int limit) {
        String keyId = keyRef == null ? null : resolve(caller, keyRef).rowId();
        return aliases.list(caller.accountId(), caller.region(), keyId, afterName, limit);
    }

    @Transactional(noRollbackFor = KmsException.class)
    public void deleteAlias(KmsCaller caller, String aliasName) {
        requireUserAliasName(aliasName);
        if (!aliases.delete(caller.accountId(), caller.region(), aliasName)) {
            throw KmsException.aliasNotFound(KmsArns.aliasArn(caller.accountId(), caller.region(), aliasName));
        }
    }

    /**
     * An alias name a user may create, point or delete. The model's pattern for AliasNameType also admits ':' (the
     * shape serves alias ARNs elsewhere); KMS itself takes only {@code alias/} and letters, digits, '/', '_' and '-',
     * and keeps {@code alias/aws/} for AWS managed keys (NotAuthorizedException).
     */
    static void requireUserAliasName(String aliasName) {
        if (!ALIAS_NAME.matcher(aliasName).matches()) {
            throw KmsException.validation("1 validation error detected: Value '" + aliasName + "' at 'aliasName' failed to"
                    + " satisfy constraint: Member must satisfy regular expression pattern: " + ALIAS_NAME.pattern());
        }
        if (aliasName.startsWith("alias/aws/")) {
            throw new KmsException("NotAuthorizedException", "The alias prefix alias/aws/ is reserved for AWS managed keys.");
        }
    }

    /**
     * For the operations whose KeyId KMS takes only as a key id or key ARN (EnableKey, CreateGrant, TagResource, ...):
     * an alias there names no key, as in KMS (NotFoundException, "Invalid keyId").
     */
    public static void requireKeyIdOrArn(String keyRef) {
        if (keyRef != null && !KmsArns.isKeyIdOrKeyArn(keyRef)) {
            throw KmsException.invalidKeyId(keyRef);
        }
    }

    // ---- grants

    @Transactional(noRollbackFor = KmsException.class)
    public IssuedGrant createGrant(KmsCaller caller, NewGrant request) {
        KmsKey key = authorized(caller, request.keyId(), "kms:CreateGrant", caller.viaService() != null);
        requireUsable(key);
        Set<String> allowed = spec(key).grantOperations(key.keyUsage());
        List<String> notAllowed = request.operations().stream().filter(op -> !allowed.contains(op)).toList();
        if (!notAllowed.isEmpty()) {
            throw KmsException.validation("Grant operations " + notAllowed + " are not valid for a key with KeySpec "
                    + key.keySpec() + " and KeyUsage " + key.keyUsage() + ".");
        }
        if (request.name() != null) {
            locks.lock("grant/" + key.rowId() + "/" + request.name());
            var existing = grants.byName(key.rowId(), key.arn(), request.name())
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
        grants.insert(grant, key.rowId());
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
        return grants.forKey(key.rowId(), key.arn(), grantId, grantee, afterGrantId, limit);
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
        if (grants.byId(key.rowId(), key.arn(), grantId).isEmpty()) {
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
        return dataKey(caller, keyRef, context, numberOfBytes, "GenerateDataKey");
    }

    /**
     * GenerateDataKey by the grantee of a grant, calling on its own behalf as an AWS service uses the grant it was
     * given (Firehose, with the grant it made for a stream). The grantee is no principal of the key's account, so the
     * key policy's grants to the account do not let it in: only a grant on the key that names it, lists
     * GenerateDataKey and whose constraints the encryption context meets does, and so the call fails from the moment
     * that grant is retired or revoked. An explicit Deny in the key policy that applies to the service still refuses
     * it, as an explicit deny overrides every allow in IAM.
     */
    @Transactional(noRollbackFor = KmsException.class)
    public DataKey generateDataKeyAsGrantee(String accountId, String region, String granteePrincipal, String keyRef,
                                            Map<String, String> context, int numberOfBytes) {
        String action = "kms:GenerateDataKey";
        KmsCaller grantee = KmsCaller.service(accountId, region, granteePrincipal);
        KmsKey key = resolve(grantee, keyRef);
        if (KeyPolicy.stored(key.policy()).evaluate(new KeyPolicy.Request(action, grantee, key.arn(), false,
                clock.instant(), context)) == KeyPolicy.Decision.EXPLICIT_DENY) {
            throw KmsException.accessDenied(granteePrincipal, action, key.arn());
        }
        if (!grants.allows(key.rowId(), granteePrincipal, "GenerateDataKey", context)) {
            throw new KmsException("AccessDeniedException", "User: " + granteePrincipal + " is not authorized to perform: "
                    + action + " on resource: " + key.arn() + " because no grant allows the " + action
                    + " action with this encryption context");
        }
        requireUsable(key);
        requireUsage(key, Usage.ENCRYPT_DECRYPT, "GenerateDataKey");
        if (!SYMMETRIC.equals(key.keySpec())) {
            throw invalidUsage(key, "GenerateDataKey");
        }
        byte[] plaintext = new byte[numberOfBytes];
        random.nextBytes(plaintext);
        DataKey dataKey = new DataKey(key.arn(), plaintext, sealSymmetric(key, plaintext, context));
        used(key, grantee, "GenerateDataKey");
        return dataKey;
    }

    /** As GenerateDataKey, under its own permission; the edge drops the plaintext. */
    @Transactional(noRollbackFor = KmsException.class)
    public DataKey generateDataKeyWithoutPlaintext(KmsCaller caller, String keyRef, Map<String, String> context,
                                                   int numberOfBytes) {
        return dataKey(caller, keyRef, context, numberOfBytes, "GenerateDataKeyWithoutPlaintext");
    }

    private DataKey dataKey(KmsCaller caller, String keyRef, Map<String, String> context, int numberOfBytes,
                            String operation) {
        KmsKey key = dataKeySealer(caller, keyRef, operation, context);
        byte[] plaintext = new byte[numberOfBytes];
        random.nextBytes(plaintext);
        DataKey dataKey = new DataKey(key.arn(), plaintext, sealSymmetric(key, plaintext, context));
        used(key, caller, operation);
        return dataKey;
    }

    /** The key data keys and data key pairs are sealed under: KMS seals them only under symmetric keys. */
    private KmsKey dataKeySealer(KmsCaller caller, String keyRef, String operation, Map<String, String> context) {
        KmsKey key = usableFor(caller, keyRef, operation, Usage.ENCRYPT_DECRYPT, context);
        if (!SYMMETRIC.equals(key.keySpec())) {
            throw invalidUsage(key, operation);
        }
        return key;
    }

    /**
     * A data key pair: the private key (PKCS#8) plain and sealed under a symmetric key, the public key
     * (SubjectPublicKeyInfo) plain.
     */
    public record DataKeyPair(String keyArn, String keyPairSpec, byte[] privateKeyPlaintext, byte[] privateKeyCiphertextBlob,
                              byte[] publicKey) {
    }

    @Transactional(noRollbackFor = KmsException.class)
    public DataKeyPair generateDataKeyPair(KmsCaller caller, String keyRef, Map<String, String> context, String pairSpec) {
        return dataKeyPair(caller, keyRef, context, pairSpec, "GenerateDataKeyPair");
    }

    /** As GenerateDataKeyPair, under its own permission; the edge drops the plain private key. */
    @Transactional(noRollbackFor = KmsException.class)
    public DataKeyPair generateDataKeyPairWithoutPlaintext(KmsCaller caller, String keyRef, Map<String, String> context,
                                                           String pairSpec) {
        return dataKeyPair(caller, keyRef, context, pairSpec, "GenerateDataKeyPairWithoutPlaintext");
    }

    private DataKeyPair dataKeyPair(KmsCaller caller, String keyRef, Map<String, String> context, String pairSpec,
                                    String operation) {
        KmsKey key = dataKeySealer(caller, keyRef, operation, context);
        // Data key pair specs share their names with the key specs, and so their refusals (SM2, secp256k1, ...).
        KmsKeySpec spec = KmsKeySpec.named(pairSpec)
                .filter(s -> s.family().asymmetric())
                .orElseThrow(() -> new KmsException("UnsupportedOperationException", KmsKeySpec.named(pairSpec)
                        .map(KmsKeySpec::refusal).orElse("KeyPairSpec " + pairSpec + " is not supported by this KMS.")));
        byte[][] pair = KmsAlgorithms.generateKeyPair(spec);
        DataKeyPair dataKeyPair = new DataKeyPair(key.arn(), spec.name(), pair[0], sealSymmetric(key, pair[0], context),
                pair[1]);
        used(key, caller, operation);
        return dataKeyPair;
    }

    @Transactional(noRollbackFor = KmsException.class)
    public Ciphertext encrypt(KmsCaller caller, String keyRef, byte[] plaintext, Map<String, String> context) {
        return encrypt(caller, keyRef, plaintext, context, null);
    }

    /** {@code algorithm} null means SYMMETRIC_DEFAULT, as in KMS. */
    @Transactional(noRollbackFor = KmsException.class)
    public Ciphertext encrypt(KmsCaller caller, String keyRef, byte[] plaintext, Map<String, String> context,
                              String algorithm) {
        KmsKey key = usableFor(caller, keyRef, "Encrypt", Usage.ENCRYPT_DECRYPT, context);
        Ciphertext sealed = seal(key, plaintext, context, algorithm, "Encrypt");
        used(key, caller, "Encrypt");
        return sealed;
    }

    @Transactional(noRollbackFor = KmsException.class)
    public Plaintext decrypt(KmsCaller caller, byte[] blob, Map<String, String> context, String keyRef) {
        return decrypt(caller, blob, context, keyRef, null);
    }

    @Transactional(noRollbackFor = KmsException.class)
    public Plaintext decrypt(KmsCaller caller, byte[] blob, Map<String, String> context, String keyRef, String algorithm) {
        KmsKey key = ciphertextKey(caller, blob, keyRef, algorithm);
        authorize(key, caller, "kms:Decrypt", false, context);
        requireUsable(key);
        requireUsage(key, Usage.ENCRYPT_DECRYPT, "Decrypt");
        Plaintext opened = open(key, blob, context, algorithm, "Decrypt");
        used(key, caller, "Decrypt");
        return opened;
    }

    /** What ReEncrypt gives back: the new blob, and the keys and algorithms on either side. */
    public record ReEncrypted(byte[] ciphertextBlob, String sourceKeyArn, String keyArn, String sourceAlgorithm,
                              String destinationAlgorithm) {
    }

    /**
     * Opens a blob and seals its plaintext again under another key, context or algorithm, checking
     * {@code kms:ReEncryptFrom} on the source key and {@code kms:ReEncryptTo} on the destination; the plaintext never
     * leaves this call.
     */
    @Transactional(noRollbackFor = KmsException.class)
    public ReEncrypted reEncrypt(KmsCaller caller, byte[] blob, Map<String, String> sourceContext, String sourceKeyRef,
                                 String sourceAlgorithm, String destinationKeyRef, Map<String, String> destinationContext,
                                 String destinationAlgorithm) {
        KmsKey source = ciphertextKey(caller, blob, sourceKeyRef, sourceAlgorithm);
        authorize(source, caller, "kms:ReEncryptFrom", false, sourceContext);
        requireUsable(source);
        requireUsage(source, Usage.ENCRYPT_DECRYPT, "ReEncrypt");
        KmsKey destination = usableFor(caller, destinationKeyRef, "ReEncryptTo", Usage.ENCRYPT_DECRYPT, destinationContext);
        Plaintext opened = open(source, blob, sourceContext, sourceAlgorithm, "ReEncrypt");
        Ciphertext sealed = seal(destination, opened.plaintext(), destinationContext, destinationAlgorithm, "ReEncrypt");
        used(source, caller, "ReEncrypt");
        used(destination, caller, "ReEncrypt");
        return new ReEncrypted(sealed.ciphertextBlob(), source.arn(), destination.arn(), opened.encryptionAlgorithm(),
                sealed.encryptionAlgorithm());
    }

    /**
     * The key a ciphertext is to open with. A symmetric blob names its key (and a named key must be that one:
     * IncorrectKeyException); an RSA ciphertext carries nothing, so KMS needs the key and algorithm named.
     */
    private KmsKey ciphertextKey(KmsCaller caller, byte[] blob, String keyRef, String algorithm) {
        boolean symmetric = algorithm == null || SYMMETRIC.equals(algorithm);
        if (!symmetric) {
            if (keyRef == null) {
                throw KmsException.validation("KeyId is required when the encryption algorithm is " + algorithm + ".");
            }
            return resolve(caller, keyRef);
        }
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
        return key;
    }

    private Ciphertext seal(KmsKey key, byte[] plaintext, Map<String, String> context, String algorithm, String operation) {
        String chosen = algorithm == null ? SYMMETRIC : algorithm;
        requireAlgorithm(key, Usage.ENCRYPT_DECRYPT, chosen, operation);
        if (SYMMETRIC.equals(chosen)) {
            return new Ciphertext(key.arn(), sealSymmetric(key, plaintext, context), chosen);
        }
        requireNoContext(context, chosen);
        KmsAlgorithms.Encryption rsa = KmsAlgorithms.Encryption.valueOf(chosen);
        KmsKeySpec spec = spec(key);
        int max = rsa.maxPlaintextBytes(spec.bits());
        if (plaintext.length > max) {
            throw KmsException.validation("Plaintext of " + plaintext.length + " bytes is too long for " + chosen
                    + " with " + spec + ": at most " + max + " bytes.");
        }
        return new Ciphertext(key.arn(), KmsAlgorithms.encrypt(spec, publicKey(key), rsa, plaintext), chosen);
    }

    private Plaintext open(KmsKey key, byte[] blob, Map<String, String> context, String algorithm, String operation) {
        String chosen = algorithm == null ? SYMMETRIC : algorithm;
        requireAlgorithm(key, Usage.ENCRYPT_DECRYPT, chosen, operation);
        if (SYMMETRIC.equals(chosen)) {
            return new Plaintext(key.arn(), openSymmetric(key, blob, context), chosen);
        }
        requireNoContext(context, chosen);
        return new Plaintext(key.arn(), KmsAlgorithms.decrypt(spec(key), material(key),
                KmsAlgorithms.Encryption.valueOf(chosen), blob), chosen);
    }

    private static void requireNoContext(Map<String, String> context, String algorithm) {
        if (context != null && !context.isEmpty()) {
            throw KmsException.validation("EncryptionContext is not supported with " + algorithm
                    + "; it is supported only with symmetric encryption keys.");
        }
    }

    /** A signature and the key and algorithm that made it. */
    public record Signed(String keyArn, byte[] signature, String signingAlgorithm) {
    }

    @Transactional(noRollbackFor = KmsException.class)
    public Signed sign(KmsCaller caller, String keyRef, byte[] message, String messageType, String algorithm) {
        KmsKey key = usableFor(caller, keyRef, "Sign", Usage.SIGN_VERIFY);
        KmsAlgorithms.Signing signing = signingAlgorithm(key, algorithm, messageType, message, "Sign");
        Signed signed = new Signed(key.arn(), KmsAlgorithms.sign(spec(key), material(key), signing, message,
                isDigest(messageType)), algorithm);
        used(key, caller, "Sign");
        return signed;
    }

    /** The key's ARN when the signature is valid; KMSInvalidSignatureException when it is not. */
    @Transactional(noRollbackFor = KmsException.class)
    public String verify(KmsCaller caller, String keyRef, byte[] message, String messageType, byte[] signature,
                         String algorithm) {
        KmsKey key = usableFor(caller, keyRef, "Verify", Usage.SIGN_VERIFY);
        KmsAlgorithms.Signing signing = signingAlgorithm(key, algorithm, messageType, message, "Verify");
        if (!KmsAlgorithms.verify(spec(key), publicKey(key), signing, message, isDigest(messageType), signature)) {
            throw new KmsException("KMSInvalidSignatureException", null);
        }
        used(key, caller, "Verify");
        return key.arn();
    }

    private static boolean isDigest(String messageType) {
        return "DIGEST".equals(messageType);
    }

    private static KmsAlgorithms.Signing signingAlgorithm(KmsKey key, String algorithm, String messageType, byte[] message,
                                                          String operation) {
        requireAlgorithm(key, Usage.SIGN_VERIFY, algorithm, operation);
        KmsAlgorithms.Signing signing = KmsAlgorithms.Signing.valueOf(algorithm);
        if ("EXTERNAL_MU".equals(messageType) && signing == KmsAlgorithms.Signing.ML_DSA_SHAKE_256) {
            // Bouncy Castle's provider signs ML-DSA over the message only, so a caller's own mu cannot be signed here.
            throw new KmsException("UnsupportedOperationException", "MessageType EXTERNAL_MU is not supported by this"
                    + " KMS; send the message with MessageType RAW.");
        }
        if (messageType != null && !"RAW".equals(messageType) && !isDigest(messageType)
                || isDigest(messageType) && signing == KmsAlgorithms.Signing.ML_DSA_SHAKE_256) {
            throw KmsException.validation("MessageType " + messageType + " is not valid for " + algorithm + ".");
        }
        if (isDigest(messageType)) {
            if (signing == KmsAlgorithms.Signing.ED25519_SHA_512) {
                throw KmsException.validation("MessageType DIGEST is not valid for " + algorithm
                        + "; pure Ed25519 signs the message itself. Use ED25519_PH_SHA_512 to sign a digest.");
            }
            if (signing.pss() || signing == KmsAlgorithms.Signing.ED25519_PH_SHA_512) {
                // The JDK signs PSS and Ed25519ph only over the whole message; see docs/kms.md.
                throw new KmsException("UnsupportedOperationException", "MessageType DIGEST with " + algorithm
                        + " is not supported by this KMS; send the message with MessageType RAW.");
            }
            if (message.length != signing.digestBytes()) {
                throw KmsException.validation("Digest is invalid length for algorithm " + algorithm + ".");
            }
        }
        return signing;
    }

    /** A public key with the key it belongs to, for GetPublicKey. */
    public record PublicKey(KmsKey key, byte[] subjectPublicKeyInfo) {
    }

    @Transactional(noRollbackFor = KmsException.class)
    public PublicKey publicKey(KmsCaller caller, String keyRef) {
        KmsKey key = authorized(caller, keyRef, "kms:GetPublicKey", false);
        requireUsable(key);
        KmsKeySpec.Family family = spec(key).family();
        if (!family.asymmetric()) {
            throw new KmsException("UnsupportedOperationException", key.arn() + " key spec is " + key.keySpec()
                    + ", which has no public key.");
        }
        return new PublicKey(key, publicKey(key));
    }

    /** A shared secret and the key that derived it. */
    public record SharedSecret(String keyArn, byte[] secret, String keyOrigin) {
    }

    /** ECDH between the key's private key and a peer's public key; the key's usage must be KEY_AGREEMENT. */
    @Transactional(noRollbackFor = KmsException.class)
    public SharedSecret deriveSharedSecret(KmsCaller caller, String keyRef, String algorithm, byte[] peerPublicKey) {
        KmsKey key = usableFor(caller, keyRef, "DeriveSharedSecret", Usage.KEY_AGREEMENT);
        requireAlgorithm(key, Usage.KEY_AGREEMENT, algorithm, "DeriveSharedSecret");
        SharedSecret secret = new SharedSecret(key.arn(), KmsAlgorithms.deriveSharedSecret(spec(key), material(key),
                peerPublicKey), key.origin());
        used(key, caller, "DeriveSharedSecret");
        return secret;
    }

    /** A MAC and the key that made it. */
    public record MacResult(String keyArn, byte[] mac) {
    }

    @Transactional(noRollbackFor = KmsException.class)
    public MacResult generateMac(KmsCaller caller, String keyRef, byte[] message, String algorithm) {
        KmsKey key = usableFor(caller, keyRef, "GenerateMac", Usage.GENERATE_VERIFY_MAC);
        requireAlgorithm(key, Usage.GENERATE_VERIFY_MAC, algorithm, "GenerateMac");
        MacResult mac = new MacResult(key.arn(), KmsAlgorithms.mac(algorithm, material(key), message));
        used(key, caller, "GenerateMac");
        return mac;
    }

    /** The key's ARN when the MAC is right; KMSInvalidMacException when it is not. */
    @Transactional(noRollbackFor = KmsException.class)
    public String verifyMac(KmsCaller caller, String keyRef, byte[] message, String algorithm, byte[] mac) {
        KmsKey key = usableFor(caller, keyRef, "VerifyMac", Usage.GENERATE_VERIFY_MAC);
        requireAlgorithm(key, Usage.GENERATE_VERIFY_MAC, algorithm, "VerifyMac");
        if (!KmsAlgorithms.sameMac(KmsAlgorithms.mac(algorithm, material(key), message), mac)) {
            throw new KmsException("KMSInvalidMacException", null);
        }
        used(key, caller, "VerifyMac");
        return key.arn();
    }

    /** Random bytes; no key is involved, so no key policy is either (KMS leaves it to IAM). */
    public byte[] generateRandom(int numberOfBytes) {
        byte[] bytes = new byte[numberOfBytes];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Records a successful cryptographic operation for GetKeyLastUsage; the service's own key is nobody's to ask about. */
    private void used(KmsKey key, KmsCaller caller, String operation) {
        if (!key.awsOwned()) {
            usage.record(key.rowId(), operation, clock.instant().truncatedTo(ChronoUnit.MILLIS), caller.requestId());
        }
    }

    /** What GetKeyLastUsage reports: the latest successful cryptographic operation, if any, since tracking began. */
    public record LastUsage(String keyArn, String keyId, Instant creationDate, Instant trackingStartDate, String operation,
                            Instant usedAt, String requestId) {
    }

    /** Works in every key state: it only reads what was recorded. */
    @Transactional(noRollbackFor = KmsException.class)
    public LastUsage lastUsage(KmsCaller caller, String keyRef) {
        KmsKey key = authorized(caller, keyRef, "kms:GetKeyLastUsage", false);
        Instant trackingStart = usage.trackingStart(key.rowId())
                .filter(start -> start.isAfter(key.creationDate()))
                .orElse(key.creationDate());
        var latest = usage.latest(key.rowId());
        return new LastUsage(key.arn(), key.keyId(), key.creationDate(), trackingStart,
                latest.map(KmsKeyUsageStore.Usage::operation).orElse(null),
                latest.map(KmsKeyUsageStore.Usage::usedAt).orElse(null),
                latest.map(KmsKeyUsageStore.Usage::requestId).orElse(null));
    }

    /** Keeps only each key's latest recorded use; run by {@link KmsRotationSweep}. */
    @Transactional
    public int pruneUsage() {
        return usage.prune();
    }

    /** The key, allowed to the caller for {@code operation} by its policy, usable, and of the usage the operation needs. */
    private KmsKey usableFor(KmsCaller caller, String keyRef, String operation, Usage usage) {
        return usableFor(caller, keyRef, operation, usage, null);
    }

    private KmsKey usableFor(KmsCaller caller, String keyRef, String operation, Usage usage, Map<String, String> context) {
        KmsKey key = resolve(caller, keyRef);
        authorize(key, caller, "kms:" + operation, false, context);
        requireUsable(key);
        requireUsage(key, usage, operation);
        return key;
    }

    private static void requireUsage(KmsKey key, Usage usage, String operation) {
        if (!usage.name().equals(key.keyUsage())) {
            throw invalidUsage(key, operation);
        }
    }

    private static KmsException invalidUsage(KmsKey key, String operation) {
        return new KmsException("InvalidKeyUsageException",
                key.arn() + " key usage is " + key.keyUsage() + " which is not valid for " + operation + ".");
    }

    /** The algorithm must be one the key's spec offers under its usage (InvalidKeyUsageException, as KMS says). */
    private static void requireAlgorithm(KmsKey key, Usage usage, String algorithm, String operation) {
        if (!spec(key).algorithms(usage).contains(algorithm)) {
            throw new KmsException("InvalidKeyUsageException", "Algorithm " + algorithm + " is incompatible with key spec "
                    + key.keySpec() + " for " + operation + ".");
        }
    }

    /** The three types of key UpdateAlias tells apart. */
    private static String keyType(KmsKey key) {
        return switch (spec(key).family()) {
            case SYMMETRIC -> "symmetric";
            case HMAC -> "HMAC";
            case RSA, EC, EDWARDS, ML_DSA, UNSUPPORTED -> "asymmetric";
        };
    }

    private static KmsKeySpec spec(KmsKey key) {
        return KmsKeySpec.named(key.keySpec()).orElseThrow(() -> new IllegalStateException(
                "Key " + key.keyId() + " has an unknown key spec"));
    }

    private byte[] material(KmsKey key) {
        return masterKey.unwrap(keys.wrappedMaterial(key.rowId())
                .orElseThrow(() -> new KmsException("UnsupportedOperationException",
                        key.arn() + " has no key material in this KMS.")), key.keyId());
    }

    private byte[] publicKey(KmsKey key) {
        return keys.publicKey(key.rowId()).orElseThrow(() -> new KmsException("UnsupportedOperationException",
                key.arn() + " has no key material in this KMS."));
    }

    // ---- resolution and rules

    private KmsKey authorized(KmsCaller caller, String keyRef, String action, boolean grantIsForAwsResource) {
        KmsKey key = resolve(caller, keyRef);
        authorize(key, caller, action, grantIsForAwsResource);
        return key;
    }

    private void authorize(KmsKey key, KmsCaller caller, String action, boolean grantIsForAwsResource) {
        authorize(key, caller, action, grantIsForAwsResource, null);
    }

    /** {@code context}: the request's encryption context, for the kms:EncryptionContext condition keys; null if none. */
    private void authorize(KmsKey key, KmsCaller caller, String action, boolean grantIsForAwsResource,
                           Map<String, String> context) {
        KeyPolicy.Request request = new KeyPolicy.Request(action, caller, key.arn(), grantIsForAwsResource, clock.instant(),
                context);
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
            keys.delete(key.rowId());
            throw KmsException.notFound(arnForMessages);
        }
        if (materialExpiredBy(key, clock.instant())) {
            expireMaterial(key);
            key = keys.find(caller.accountId(), caller.region(), keyId).orElseThrow();
        }
        return key;
    }

    private static boolean materialExpiredBy(KmsKey key, Instant now) {
        return key.validTo() != null && !key.validTo().isAfter(now) && key.state() != KeyState.PendingImport;
    }

    /** KMS deletes imported material when its ValidTo passes; a key pending deletion stays so. */
    private void expireMaterial(KmsKey key) {
        keys.updateImportedMaterial(key.rowId(), null,
                key.state() == KeyState.PendingDeletion ? KeyState.PendingDeletion : KeyState.PendingImport, null, null, null);
        events.publishEvent(new KmsKeyChanged(key.keyId()));
    }

    /**
     * Deletes the imported material of every key whose ValidTo has passed by the clock. Keys are also expired when
     * next looked up, so this only makes sure unused keys expire too; run by {@link KmsRotationSweep}, and by tests
     * after moving the clock.
     */
    @Transactional
    public int expireImportedMaterial() {
        int expired = 0;
        Instant now = clock.instant();
        for (String keyId : keys.expiredImports(now)) {
            locks.lock("import/" + keyId);
            KmsKey key = keys.findById(keyId).orElseThrow();
            if (materialExpiredBy(key, now)) {
                expireMaterial(key);
                expired++;
            }
        }
        return expired;
    }

    private static boolean deletedBy(KmsKey key, Instant now) {
        return key.state() == KeyState.PendingDeletion && key.deletionDate() != null && !key.deletionDate().isAfter(now);
    }

    private static void requireNotPendingDeletion(KmsKey key) {
        if (key.state() == KeyState.PendingDeletion) {
            throw KmsException.invalidState(key.arn() + " is pending deletion.");
        }
    }

    private static void requireNotPendingImport(KmsKey key) {
        if (key.state() == KeyState.PendingImport) {
            throw KmsException.invalidState(key.arn() + " is pending import.");
        }
    }

    private static void requireUsable(KmsKey key) {
        requireNotPendingDeletion(key);
        requireNotPendingImport(key);
        if (key.state() == KeyState.Disabled) {
            throw KmsException.disabled(key.arn());
        }
    }

    private static void requireDefaultPolicyName(String policyName) {
        if (policyName != null && !DEFAULT_POLICY_NAME.equals(policyName)) {
            throw new KmsException("NotFoundException", "No such policy exists: " + policyName);
        }
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
