package io.firehosesse.deliverystream;

import io.firehosesse.api.deliverystream.Destination;
import io.firehosesse.api.deliverystream.DestinationKind;
import java.util.Map;

/**
 * The S3 backup mode changes UpdateDestination refuses, as the model documents them: Extended S3 and Redshift backup
 * "If backup is enabled, you can't update the Firehose stream to disable it"; Splunk "You can't update it from
 * AllEvents to FailedEventsOnly". Each entry is the one forbidden change: from → to.
 */
final class BackupModeChanges {

    static final String MEMBER = "S3BackupMode";

    private static final Map<DestinationKind, Map.Entry<String, String>> FORBIDDEN = Map.of(
            DestinationKind.EXTENDED_S3, Map.entry("Enabled", "Disabled"),
            DestinationKind.REDSHIFT, Map.entry("Enabled", "Disabled"),
            DestinationKind.SPLUNK, Map.entry("AllEvents", "FailedEventsOnly"));

    private BackupModeChanges() {
    }

    /** Refuses an update of {@code current}'s own type that would make the forbidden change. */
    static void requireAllowed(Destination current, DestinationKind updateKind, Map<String, Object> update) {
        Map.Entry<String, String> forbidden = FORBIDDEN.get(current.kind());
        if (forbidden == null || !current.kind().sameTypeAs(updateKind)) {
            return;
        }
        if (forbidden.getKey().equals(current.settings().get(MEMBER)) && forbidden.getValue().equals(update.get(MEMBER))) {
            throw DeliveryStream.invalid("S3BackupMode cannot be changed from " + forbidden.getKey() + " to "
                    + forbidden.getValue() + ".");
        }
    }
}
