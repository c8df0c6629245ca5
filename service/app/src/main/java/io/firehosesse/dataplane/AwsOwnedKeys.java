package io.firehosesse.dataplane;

import io.firehosesse.platform.ServiceReset;
import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.FirehoseException;
import io.firehosesse.kms.EmbeddedKms;
import io.firehosesse.kms.KmsProperties;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** The key behind AWS_OWNED_CMK: the embedded KMS's own key per account and region, or the one configured for an external KMS. */
@Component
class AwsOwnedKeys implements ServiceReset.Participant {

    private final EmbeddedKms embedded;
    private final KmsProperties properties;
    private final Map<String, String> arns = new ConcurrentHashMap<>();

    AwsOwnedKeys(EmbeddedKms embedded, KmsProperties properties) {
        this.embedded = embedded;
        this.properties = properties;
    }

    String arn(String accountId, String region) {
        if (!properties.endpoint().isBlank()) {
            if (properties.awsOwnedKeyArn().isBlank()) {
                throw new FirehoseException(FirehoseErrorCode.ServiceUnavailableException,
                        "AWS_OWNED_CMK streams need firehose.kms.aws-owned-key-arn when an external KMS is used.");
            }
            return properties.awsOwnedKeyArn();
        }
        return arns.computeIfAbsent(accountId + "/" + region, k -> embedded.awsOwnedKey(accountId, region).arn());
    }

    /** The embedded KMS's own keys went with the reset; they are made again when first asked for. */
    @Override
    public void afterReset() {
        arns.clear();
    }
}
