package io.firehosesse.deliverystream;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.databind.module.SimpleModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Lets Axon's Jackson serializer write the private fields of the aggregate and its encryption member into
 * snapshots. Without this a snapshot is {@code {}} and fails to load; a mix-in keeps Jackson out of both classes.
 */
@Configuration(proxyBeanMethods = false)
class DeliveryStreamSnapshots {

    @Bean
    SimpleModule deliveryStreamSnapshotModule() {
        SimpleModule module = new SimpleModule("delivery-stream-snapshots");
        module.setMixInAnnotation(DeliveryStream.class, FieldsOnly.class);
        module.setMixInAnnotation(StreamEncryption.class, FieldsOnly.class);
        return module;
    }

    @JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
            getterVisibility = JsonAutoDetect.Visibility.NONE,
            isGetterVisibility = JsonAutoDetect.Visibility.NONE)
    abstract static class FieldsOnly {
    }
}
