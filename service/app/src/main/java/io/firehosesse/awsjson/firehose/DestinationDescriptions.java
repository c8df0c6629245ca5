package io.firehosesse.awsjson.firehose;

import io.firehosesse.api.deliverystream.Destination;
import io.firehosesse.api.deliverystream.DestinationKind;
import io.firehosesse.awsjson.firehose.FirehoseShapes.DestinationDescription;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a destination as DescribeDeliveryStream shows it: the configuration as given, with the
 * defaults AWS fills in (buffering 5 MiB / 300 s, no compression, no encryption, backup disabled),
 * and, as AWS does, both the S3 and the Extended S3 description for an S3 destination.
 */
final class DestinationDescriptions {

    private static final List<String> S3_MEMBERS = List.of("RoleARN", "BucketARN", "Prefix", "ErrorOutputPrefix",
            "BufferingHints", "CompressionFormat", "EncryptionConfiguration", "CloudWatchLoggingOptions");

    private DestinationDescriptions() {
    }

    static DestinationDescription describe(Destination destination) {
        Map<String, Object> extended = new LinkedHashMap<>(withS3Defaults(destination.settings()));
        if (destination.kind() == DestinationKind.EXTENDED_S3) {
            Object backup = extended.remove("S3BackupConfiguration");
            if (backup instanceof Map<?, ?> backupSettings) {
                extended.put("S3BackupDescription", withS3Defaults(asMap(backupSettings)));
            }
        }
        extended.putIfAbsent("S3BackupMode", "Disabled");
        Map<String, Object> s3 = new LinkedHashMap<>();
        S3_MEMBERS.forEach(member -> {
            if (extended.containsKey(member)) {
                s3.put(member, extended.get(member));
            }
        });
        return new DestinationDescription(destination.destinationId(), s3, extended);
    }

    private static Map<String, Object> withS3Defaults(Map<String, Object> settings) {
        Map<String, Object> described = new LinkedHashMap<>(settings);
        Map<String, Object> buffering = new LinkedHashMap<>(Map.of("SizeInMBs", 5, "IntervalInSeconds", 300));
        if (settings.get("BufferingHints") instanceof Map<?, ?> given) {
            buffering.putAll(asMap(given));
        }
        described.put("BufferingHints", buffering);
        described.putIfAbsent("CompressionFormat", "UNCOMPRESSED");
        described.putIfAbsent("EncryptionConfiguration", Map.of("NoEncryptionConfig", "NoEncryption"));
        return described;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
