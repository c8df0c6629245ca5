package io.firehosesse.seed;

import static io.firehosesse.support.EncryptionFixtures.awaitEncryption;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.audit.CallAudit;
import io.firehosesse.awsjson.AwsCalls;
import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.Streams;
import io.firehosesse.support.TestDatabase;
import io.firehosesse.platform.PlatformProperties;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.KeyType;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/** A seed file's keys and streams are there when the service answers, made once, and a bad entry is named. */
@TestPropertySource(properties = {
        TestDatabase.OWN_DATABASE + "=true",
        "firehose.init.file=src/test/resources/seed/seed.yml"})
@DirtiesContext
class SeedFileIT extends AwsClientsIT {

    @Autowired
    SeedFile seedFile;
    @Autowired
    PlatformProperties firehoseProperties;
    @Autowired
    AwsCalls calls;
    @Autowired
    CallAudit audit;

    @Test
    void theSeedFilesKeysAndStreamsAreMadeAtStartUpWithTheirEncryption() {
        KeyMetadata key = kms.describeKey(r -> r.keyId("alias/seed-orders")).keyMetadata();
        assertThat(key.description()).isEqualTo("orders, from the seed file");

        awaitEncryption(firehose, "seed-orders", DeliveryStreamEncryptionStatus.ENABLED);
        DeliveryStreamDescription orders = Streams.describe(firehose, "seed-orders");
        assertThat(orders.deliveryStreamEncryptionConfiguration().keyType()).isEqualTo(KeyType.CUSTOMER_MANAGED_CMK);
        assertThat(orders.deliveryStreamEncryptionConfiguration().keyARN()).isEqualTo(key.arn());
        assertThat(Streams.awaitStatus(firehose, "seed-clicks", DeliveryStreamStatus.ACTIVE).deliveryStreamEncryptionConfiguration()
                .status()).isEqualTo(DeliveryStreamEncryptionStatus.DISABLED);
    }

    @Test
    void runningTheSeedFileAgainAsARestartDoesChangeNothing() {
        List<String> keysBefore = kms.listKeys().keys().stream().map(k -> k.keyId()).toList();
        String versionBefore = Streams.describe(firehose, "seed-orders").versionId();

        seedFile.run(null);

        assertThat(kms.listKeys().keys().stream().map(k -> k.keyId()).toList()).containsExactlyInAnyOrderElementsOf(keysBefore);
        assertThat(Streams.describe(firehose, "seed-orders").versionId()).isEqualTo(versionBefore);
    }

    @Test
    void aBadEntryStopsTheSeedNamingTheFileTheEntryAndAwsError() {
        SeedFile bad = new SeedFile(new SeedProperties("src/test/resources/seed/bad-stream.yml"), firehoseProperties, calls,
                audit);

        assertThatThrownBy(() -> bad.run(null))
                .isInstanceOf(SeedFile.SeedFileException.class)
                .hasMessageContaining("bad-stream.yml")
                .hasMessageContaining("streams[1] (seed-bad)")
                .hasMessageContaining("ValidationException");
        // The entries before it were made; nothing of the bad one was.
        assertThat(kms.describeKey(r -> r.keyId("alias/seed-bad")).keyMetadata().enabled()).isTrue();
        assertThat(Streams.describe(firehose, "seed-fine").deliveryStreamName()).isEqualTo("seed-fine");
        assertThatThrownBy(() -> Streams.describe(firehose, "seed-bad")).isInstanceOf(ResourceNotFoundException.class);
    }
}
