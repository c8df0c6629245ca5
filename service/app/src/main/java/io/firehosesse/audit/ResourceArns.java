package io.firehosesse.audit;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What CloudTrail's {@code resources} entries and the delivery-stream filter need to know about an ARN. */
final class ResourceArns {

    private static final Pattern ARN = Pattern.compile("arn:[^:]+:([^:]+):[^:]*:([^:]*):(.*)");
    private static final Pattern DELIVERY_STREAM =
            Pattern.compile("arn:[a-z-]+:firehose:[a-z0-9-]+:\\d{12}:deliverystream/([a-zA-Z0-9_.-]{1,64})");

    private ResourceArns() {
    }

    record DeliveryStream(String arn, String name) {
    }

    /** The CloudTrail resource type, or null for an ARN CloudTrail would not list as a resource of these calls. */
    static String type(String arn) {
        Matcher m = ARN.matcher(arn);
        if (!m.matches()) {
            return null;
        }
        String service = m.group(1);
        String resource = m.group(3);
        if (service.equals("firehose") && resource.startsWith("deliverystream/")) {
            return "AWS::KinesisFirehose::DeliveryStream";
        }
        if (service.equals("kms") && resource.startsWith("key/")) {
            return "AWS::KMS::Key";
        }
        if (service.equals("kms") && resource.startsWith("alias/")) {
            return "AWS::KMS::Alias";
        }
        return null;
    }

    /** The account field of the ARN; null when it has none (S3 bucket ARNs). */
    static String accountId(String arn) {
        Matcher m = ARN.matcher(arn);
        return m.matches() && !m.group(2).isEmpty() ? m.group(2) : null;
    }

    /** The last path element of an ARN's resource: a role's or a user's name. */
    static String resourceName(String arn) {
        Matcher m = ARN.matcher(arn);
        String resource = m.matches() ? m.group(3) : arn;
        return resource.substring(resource.lastIndexOf('/') + 1);
    }

    static Optional<DeliveryStream> deliveryStream(String arn) {
        Matcher m = DELIVERY_STREAM.matcher(arn);
        return m.matches() ? Optional.of(new DeliveryStream(arn, m.group(1))) : Optional.empty();
    }

    static Optional<DeliveryStream> firstDeliveryStream(List<String> arns) {
        return arns.stream().map(ResourceArns::deliveryStream).flatMap(Optional::stream).findFirst();
    }
}
