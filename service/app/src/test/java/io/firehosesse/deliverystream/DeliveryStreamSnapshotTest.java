package io.firehosesse.deliverystream;

import static org.assertj.core.api.Assertions.assertThat;

import io.firehosesse.api.deliverystream.DeliveryStreamActivated;
import io.firehosesse.api.deliverystream.DeliveryStreamTagged;
import io.firehosesse.platform.AxonConfiguration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;

/** A snapshot is only useful if it comes back as the same aggregate through Axon's Jackson serializer. */
class DeliveryStreamSnapshotTest {

    private final Serializer serializer = new AxonConfiguration().serializer(
            List.of(new DeliveryStreamSnapshots().deliveryStreamSnapshotModule()));

    @Test
    void aSnapshotRoundTripsThroughJackson() {
        DeliveryStream stream = new DeliveryStream();
        stream.on(DeliveryStreamTest.created());
        stream.on(new DeliveryStreamActivated(DeliveryStreamTest.ID, DeliveryStreamTest.NOW));
        stream.on(new DeliveryStreamTagged(DeliveryStreamTest.ID, Map.of("env", "prod"), DeliveryStreamTest.NOW));

        SerializedObject<byte[]> snapshot = serializer.serialize(stream, byte[].class);
        String json = new String(snapshot.getData(), StandardCharsets.UTF_8);
        DeliveryStream restored = serializer.deserialize(snapshot);

        assertThat(json).contains("\"streamId\":\"stream-1\"", "\"status\":\"ACTIVE\"", "\"env\":\"prod\"");
        assertThat(restored).usingRecursiveComparison().isEqualTo(stream);
    }
}
