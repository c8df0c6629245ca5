package io.firehosesse.readmodel.api;

import io.firehosesse.api.deliverystream.StreamKey;
import io.firehosesse.platform.PlatformProperties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Reads how the REST API names a stream: a name (in the caller's account, the default or given region) or an ARN. A
 * stream of an account the caller may not see is answered as absent, so another account's streams cannot even be
 * probed for.
 */
@Component
class StreamNames {

    private static final Pattern ARN = Pattern.compile("arn:[a-z-]+:firehose:([a-z0-9-]+):(\\d{12}):deliverystream/([a-zA-Z0-9_.-]{1,64})");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,64}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

    private final String defaultRegion;

    StreamNames(PlatformProperties properties) {
        this.defaultRegion = properties.defaultRegion();
    }

    StreamKey key(String nameOrArn, String region) {
        Matcher arn = ARN.matcher(nameOrArn);
        if (arn.matches()) {
            return new StreamKey(arn.group(2), arn.group(1), arn.group(3));
        }
        if (!NAME.matcher(nameOrArn).matches()) {
            throw new BadParameterException("name", "'" + nameOrArn + "' is neither a delivery stream name nor its ARN.");
        }
        return new StreamKey(ApiCaller.current().accountId(), region(region), nameOrArn);
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

    /** The caller's account, whose streams a list shows. */
    String accountId() {
        return ApiCaller.current().accountId();
    }
}
