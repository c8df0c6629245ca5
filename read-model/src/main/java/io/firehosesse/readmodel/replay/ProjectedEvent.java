package io.firehosesse.readmodel.replay;

import java.time.Instant;
import java.util.Map;

/** One stored event as a projection needs it, whether it arrives live or from a replay. */
public record ProjectedEvent(String aggregateId, String aggregateType, long sequence, Instant timestamp, Object payload,
                             Map<String, ?> metadata) {

    public String metadata(String key) {
        Object value = metadata.get(key);
        return value == null ? null : value.toString();
    }
}
