package io.firehosesse.awsjson.kms;

import io.firehosesse.awsjson.AwsOperation;
import io.firehosesse.awsjson.AwsOperations;
import io.firehosesse.awsjson.kms.KmsShapes.CancelKeyDeletionResponse;
import io.firehosesse.awsjson.kms.KmsShapes.CreateKeyRequest;
import io.firehosesse.awsjson.kms.KmsShapes.EmptyResponse;
import io.firehosesse.awsjson.kms.KmsShapes.KeyIdRequest;
import io.firehosesse.awsjson.kms.KmsShapes.KeyListEntry;
import io.firehosesse.awsjson.kms.KmsShapes.KeyMetadata;
import io.firehosesse.awsjson.kms.KmsShapes.KeyMetadataResponse;
import io.firehosesse.awsjson.kms.KmsShapes.ListKeysRequest;
import io.firehosesse.awsjson.kms.KmsShapes.ListKeysResponse;
import io.firehosesse.awsjson.kms.KmsShapes.ScheduleKeyDeletionRequest;
import io.firehosesse.awsjson.kms.KmsShapes.ScheduleKeyDeletionResponse;
import io.firehosesse.kms.EmbeddedKms;
import io.firehosesse.kms.KmsKey;
import io.firehosesse.system.Caller;
import java.util.List;
import org.springframework.stereotype.Component;

/** The embedded KMS on the wire: {@code X-Amz-Target: TrentService.<Operation>}. */
@Component
class KmsOperations implements AwsOperations {

    private static final String PREFIX = "TrentService.";
    private static final int DEFAULT_LIST_LIMIT = 100;

    private final EmbeddedKms kms;

    KmsOperations(EmbeddedKms kms) {
        this.kms = kms;
    }

    @Override
    public List<AwsOperation<?>> operations() {
        return List.of(
                AwsOperation.of(PREFIX + "CreateKey", CreateKeyRequest.class, this::createKey),
                AwsOperation.of(PREFIX + "DescribeKey", KeyIdRequest.class, (in, caller) ->
                        new KeyMetadataResponse(metadata(kms.describe(caller.accountId(), caller.region(), in.keyId())))),
                AwsOperation.of(PREFIX + "ListKeys", ListKeysRequest.class, this::listKeys),
                AwsOperation.of(PREFIX + "EnableKey", KeyIdRequest.class, (in, caller) -> {
                    kms.enable(caller.accountId(), caller.region(), in.keyId());
                    return new EmptyResponse();
                }),
                AwsOperation.of(PREFIX + "DisableKey", KeyIdRequest.class, (in, caller) -> {
                    kms.disable(caller.accountId(), caller.region(), in.keyId());
                    return new EmptyResponse();
                }),
                AwsOperation.of(PREFIX + "ScheduleKeyDeletion", ScheduleKeyDeletionRequest.class, (in, caller) -> {
                    KmsKey key = kms.scheduleDeletion(caller.accountId(), caller.region(), in.keyId(), in.pendingWindowInDays());
                    return new ScheduleKeyDeletionResponse(key.arn(), key.deletionDate(), key.state().name(),
                            key.pendingWindowDays());
                }),
                AwsOperation.of(PREFIX + "CancelKeyDeletion", KeyIdRequest.class, (in, caller) ->
                        new CancelKeyDeletionResponse(kms.cancelDeletion(caller.accountId(), caller.region(), in.keyId()).arn())));
    }

    private KeyMetadataResponse createKey(CreateKeyRequest in, Caller caller) {
        String spec = in.keySpec() != null ? in.keySpec() : in.customerMasterKeySpec();
        KmsKey key = kms.create(caller.accountId(), caller.region(),
                new EmbeddedKms.NewKey(in.description(), spec, in.keyUsage(), in.policy(), in.tags()));
        return new KeyMetadataResponse(metadata(key));
    }

    private ListKeysResponse listKeys(ListKeysRequest in, Caller caller) {
        int limit = in.limit() == null ? DEFAULT_LIST_LIMIT : in.limit();
        List<KmsKey> page = kms.list(caller.accountId(), caller.region(), in.marker(), limit + 1);
        boolean truncated = page.size() > limit;
        List<KmsKey> shown = truncated ? page.subList(0, limit) : page;
        return new ListKeysResponse(shown.stream().map(k -> new KeyListEntry(k.keyId(), k.arn())).toList(),
                truncated ? shown.get(shown.size() - 1).keyId() : null, truncated);
    }

    private static KeyMetadata metadata(KmsKey key) {
        boolean symmetric = "SYMMETRIC_DEFAULT".equals(key.keySpec());
        return new KeyMetadata(key.accountId(), key.keyId(), key.arn(), key.creationDate(), key.enabled(),
                key.description(), key.keyUsage(), key.state().name(), key.deletionDate(), "AWS_KMS",
                key.awsOwned() ? "AWS" : "CUSTOMER", key.keySpec(), key.keySpec(),
                symmetric ? List.of("SYMMETRIC_DEFAULT") : null, false, key.pendingWindowDays());
    }
}
