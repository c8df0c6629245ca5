package io.firehosesse.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;

/** Settings of its own give a class a service of its own, started beside the default one. */
@FirehoseSse(properties = {"firehose.account-id=111122223333", "firehose.default-region=eu-west-1"})
class ServiceSettingsIT {

    @Test
    void aServiceWithItsOwnAccountAndRegion(FirehoseSseService service, KmsClient kms) {
        assertThat(service.accountId()).isEqualTo("111122223333");
        assertThat(service.region().id()).isEqualTo("eu-west-1");
        assertThat(kms.createKey(r -> r.description("elsewhere")).keyMetadata().arn())
                .startsWith("arn:aws:kms:eu-west-1:111122223333:key/");
    }
}
