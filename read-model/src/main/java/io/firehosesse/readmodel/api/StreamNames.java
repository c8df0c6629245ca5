package io.firehosesse.readmodel.api;

import io.firehosesse.api.deliverystream.StreamKey;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Reads how the REST API names a stream: a name (in the configured account, the default or given region) or an ARN. */
@Component
class StreamNames {

    private static final Pattern ARN = Pattern.compile("arn:[a-z-]+:firehose:([a-z0-9-]+):(\\d{12}):deliverystream/([a-zA-Z0-9_.-]{1,64})");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,64}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

    private final String accountId;
    private final String defaultRegion;

    StreamNames(@Value("${firehose.account-id}") String accountId, @Value("${firehose.default-region}") String defaultRegion) {
        this.accountId = accountId;
        this.defaultRegion = defaultRegion;
    }

    StreamKey key(String nameOrArn, String region) {
        Matcher arn = ARN.matcher(nameOrArn);
        if (arn.matches()) {
            return new StreamKey(arn.group(2), arn.group(1), arn.group(3));
        }
        if (!NAME.matcher(nameOrArn).matches()) {
            throw new BadParameterException("name", "'" + nameOrArn + "' is neither a delivery stream name nor its ARN.");
        }
        return new StreamKey(accountId, region(region), nameOrArn);
    }

    String region(String region) {
        if (region == null) {
            return defaultRegion;
        }
        if (!REGION.matcher(region).matches()) {
            throw new BadParameterException("region", "'" + region + "' is not a region name.");
        }
        return region;
    }

    String accountId() {
        return accountId;
    }
}
