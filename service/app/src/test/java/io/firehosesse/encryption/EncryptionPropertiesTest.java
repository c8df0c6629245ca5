package io.firehosesse.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import io.firehosesse.api.deliverystream.EncryptionRules;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The setting's default is written from the rule's constant; binding with nothing set shows it took. */
class EncryptionPropertiesTest {

    @Test
    void aKeyServesFiveHundredStreamsUnlessConfiguredOtherwise() {
        Binder nothingSet = new Binder(new MapConfigurationPropertySource());
        Binder set = new Binder(new MapConfigurationPropertySource(Map.of("firehose.encryption.max-streams-per-key", "20")));

        assertThat(nothingSet.bindOrCreate("firehose.encryption", EncryptionProperties.class).maxStreamsPerKey())
                .isEqualTo(EncryptionRules.STREAMS_PER_CUSTOMER_KEY)
                .isEqualTo(500);
        assertThat(set.bindOrCreate("firehose.encryption", EncryptionProperties.class).maxStreamsPerKey()).isEqualTo(20);
    }
}
