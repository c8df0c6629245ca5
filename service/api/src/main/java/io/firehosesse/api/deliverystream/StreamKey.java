package io.firehosesse.api.deliverystream;

import io.firehosesse.api.AwsPartitions;
import java.util.Objects;

/** What names a delivery stream to AWS: the account, the region and the name, which the ARN spells out. */
public record StreamKey(String accountId, String region, String name) {

    public StreamKey {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(name, "name");
    }

    public String arn() {
        return "arn:" + AwsPartitions.of(region) + ":firehose:" + region + ":" + accountId + ":deliverystream/" + name;
    }
}
