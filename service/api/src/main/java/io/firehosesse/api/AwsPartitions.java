package io.firehosesse.api;

/** Which AWS partition a region belongs to, as ARNs spell it: {@code aws}, {@code aws-cn}, {@code aws-us-gov}. */
public final class AwsPartitions {

    private AwsPartitions() {
    }

    public static String of(String region) {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        return "aws";
    }
}
