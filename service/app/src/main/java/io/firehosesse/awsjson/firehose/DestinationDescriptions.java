package io.firehosesse.awsjson.firehose;

import io.firehosesse.api.deliverystream.Destination;
import io.firehosesse.awsjson.AwsServiceModel;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Renders what DescribeDeliveryStream shows of a destination or a source, walking the model's description shape:
 * a member is shown only if the description shape has it (so secrets the model leaves out of descriptions, such as
 * Redshift's Password, HttpEndpoint's AccessKey or Snowflake's PrivateKey and KeyPassphrase, are never echoed),
 * taken from the configuration member of the same name (or the three the model renames), and filled with
 * {@link DestinationDefaults} where the caller gave nothing. An S3 destination is described in both forms, as AWS does.
 */
@Component
class DestinationDescriptions {

    /** Description members whose configuration member has another name (S3Configuration → S3DestinationDescription). */
    private static final Map<String, String> CONFIGURED_AS = Map.of(
            "S3DestinationDescription", "S3Configuration",
            "S3BackupDescription", "S3BackupConfiguration",
            "VpcConfigurationDescription", "VpcConfiguration");

    private final AwsServiceModel model = AwsServiceModel.load(AwsServiceModel.FIREHOSE);

    /** A {@code DestinationDescription}: its id and the description member of its type. */
    Map<String, Object> describe(Destination destination) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("DestinationId", destination.destinationId());
        if (destination.kind().s3()) {
            description.put("S3DestinationDescription", render("S3DestinationDescription", destination.settings()));
            description.put("ExtendedS3DestinationDescription",
                    render("ExtendedS3DestinationDescription", destination.settings()));
        } else {
            String member = DestinationTypes.descriptionMember(destination.kind());
            description.put(member, render(member, destination.settings()));
        }
        return description;
    }

    /**
     * An {@code MSKSourceDescription}. Firehose reads from {@code ReadFromTimestamp}, by default the time the stream
     * became ACTIVE (the model's words), which is also its {@code DeliveryStartTimestamp}; before that both are absent.
     */
    Map<String, Object> mskSource(Map<String, Object> settings, Instant deliveryStart) {
        Map<String, Object> given = new LinkedHashMap<>(settings);
        if (deliveryStart != null) {
            given.putIfAbsent("ReadFromTimestamp", deliveryStart);
            given.put("DeliveryStartTimestamp", deliveryStart);
        }
        return render("MSKSourceDescription", given);
    }

    /** A {@code DatabaseSourceDescription}: the configuration as given (no snapshots are taken here, so no SnapshotInfo). */
    Map<String, Object> databaseSource(Map<String, Object> settings) {
        return render("DatabaseSourceDescription", settings);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> render(String shape, Map<String, Object> given) {
        return (Map<String, Object>) render(shape, (Object) given);
    }

    private Object render(String shape, Object value) {
        switch (model.typeOf(shape)) {
            case "structure" -> {
                if (!(value instanceof Map<?, ?> given)) {
                    return value;
                }
                Map<String, Object> defaults = DestinationDefaults.of(shape);
                Map<String, Object> described = new LinkedHashMap<>();
                model.membersOf(shape).forEach((member, memberShape) -> {
                    Object memberValue = given.get(member);
                    if (memberValue == null && CONFIGURED_AS.containsKey(member)) {
                        memberValue = given.get(CONFIGURED_AS.get(member));
                    }
                    if (memberValue == null) {
                        memberValue = defaults.get(member);
                    }
                    if (memberValue != null) {
                        described.put(member, render(memberShape, memberValue));
                    }
                });
                return described;
            }
            case "list" -> {
                if (!(value instanceof List<?> list)) {
                    return value;
                }
                String element = model.elementOf(shape);
                return list.stream().map(item -> item == null ? null : render(element, item)).toList();
            }
            case "timestamp" -> {
                return timestamp(value);
            }
            default -> {
                return value;
            }
        }
    }

    /**
     * A timestamp kept as the caller sent it (epoch seconds, or the ISO text the validator also accepts), answered
     * as the wire writes every timestamp: epoch seconds with milliseconds.
     */
    private static Object timestamp(Object value) {
        if (value instanceof Instant) {
            return value;
        }
        if (value instanceof Number seconds) {
            return Instant.ofEpochMilli(new BigDecimal(seconds.toString()).movePointRight(3).longValue());
        }
        try {
            return Instant.parse(String.valueOf(value));
        } catch (DateTimeParseException notIso) {
            return value;
        }
    }
}
