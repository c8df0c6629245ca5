package io.firehosesse.dataplane;

import static io.firehosesse.support.EncryptionFixtures.awaitEncryption;
import static io.firehosesse.support.EncryptionFixtures.grants;
import static io.firehosesse.support.EncryptionFixtures.startWithCustomerKey;
import static io.firehosesse.support.Streams.awaitStatus;
import static io.firehosesse.support.Streams.describe;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.encryption.FirehoseGrant;
import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.MutableClock;
import io.firehosesse.support.Waits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionConfiguration;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamFailureType;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.InvalidKmsResourceException;
import software.amazon.awssdk.services.firehose.model.PutRecordResponse;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.kms.model.GrantListEntry;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.RotationsListEntry;

/**
 * Firehose seals a stream's records under its customer managed key through the grant it made, as on AWS: data keys
 * are asked for as the grant's grantee ({@code firehose.amazonaws.com}) under its constraint, so a grant someone else
 * retires or revokes stops the puts, and Describe says why. Each test drives what it needs itself: the data-key
 * trust window by the service's clock, delivery by running the sweep.
 */
class GrantedDataKeysIT extends AwsClientsIT {

    private static final String REVOKED = "The grant for the CMK to this delivery stream might have been revoked";

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MutableClock clock;

    @Autowired
    RecordDelivery delivery;

    @Value("${firehose.delivery.directory}")
    Path directory;

    PutRecordResponse put(String name, String data) {
        return firehose.putRecord(r -> r.deliveryStreamName(name).record(x -> x.data(SdkBytes.fromUtf8String(data))));
    }

    void putAll(String name, String... records) {
        firehose.putRecordBatch(r -> r.deliveryStreamName(name).records(Stream.of(records)
                .map(data -> Record.builder().data(SdkBytes.fromUtf8String(data)).build()).toList()));
    }

    long buffered(String name) {
        return jdbc.sql("SELECT count(*) FROM record_buffer b JOIN data_plane_stream s ON s.stream_id = b.stream_id"
                + " WHERE s.name = :name").param("name", name).query(Long.class).single();
    }

    /** The stream's one grant: the one Firehose made when encryption was enabled. */
    GrantListEntry firehoseGrant(KeyMetadata key) {
        List<GrantListEntry> grants = grants(kms, key.keyId());
        assertThat(grants).singleElement().satisfies(grant -> {
            assertThat(grant.granteePrincipal()).isEqualTo(FirehoseGrant.GRANTEE);
            assertThat(grant.constraints().encryptionContextSubset()).containsKey(FirehoseGrant.CONTEXT_KEY);
        });
        return grants.get(0);
    }

    void assertRefusedBecauseTheGrantIsGone(String name) {
        Consumer<InvalidKmsResourceException> asAwsSays = e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidKMSResourceException");
            assertThat(e.code()).isEqualTo("AccessDeniedException");
            assertThat(e.getMessage()).contains(REVOKED);
        };
        assertThatThrownBy(() -> put(name, "refused")).isInstanceOfSatisfying(InvalidKmsResourceException.class, asAwsSays);
        assertThatThrownBy(() -> putAll(name, "also", "refused"))
                .isInstanceOfSatisfying(InvalidKmsResourceException.class, asAwsSays);
    }

    /** Describe keeps ENABLED and the key, with the fault as its FailureDescription (a put is no enable attempt). */
    void assertDescribeShowsTheFault(String name, KeyMetadata key) {
        DeliveryStreamEncryptionConfiguration faulted = Waits.background().until(
                () -> describe(firehose, name).deliveryStreamEncryptionConfiguration(), shown -> shown.failureDescription() != null);
        assertThat(faulted.status()).isEqualTo(DeliveryStreamEncryptionStatus.ENABLED);
        assertThat(faulted.keyARN()).isEqualTo(key.arn());
        assertThat(faulted.failureDescription().type()).isEqualTo(DeliveryStreamFailureType.KMS_ACCESS_DENIED);
        assertThat(faulted.failureDescription().details())
                .contains("AccessDeniedException", FirehoseGrant.GRANTEE, "kms:GenerateDataKey", key.arn());
    }

    @Test
    void aGrantRevokedByTheKeyOwnerRefusesPutsAndShowsOnTheStreamUntilEncryptionIsStartedAgain() {
        String name = uniqueName("revoked");
        KeyMetadata key = activeStreamEncryptedWithNewKey(name, "grant revoked");
        assertThat(put(name, "before the revocation").encrypted()).isTrue();
        long accepted = buffered(name);

        kms.revokeGrant(r -> r.keyId(key.keyId()).grantId(firehoseGrant(key).grantId()));

        // On the instance that revoked it the cached data key is dropped at once, well within the trust window.
        assertRefusedBecauseTheGrantIsGone(name);
        assertThat(buffered(name)).as("refused records are never stored, in plain or otherwise").isEqualTo(accepted);
        assertDescribeShowsTheFault(name, key);
        // The key itself is fine: its owner still uses it directly.
        assertThat(kms.generateDataKey(r -> r.keyId(key.keyId()).numberOfBytes(32)).keyId()).isEqualTo(key.arn());

        // Starting again on the same key makes a new grant, since the one the stream held is gone.
        startWithCustomerKey(firehose, name, key.arn());
        DeliveryStreamEncryptionConfiguration enabled = awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);
        assertThat(enabled.failureDescription()).isNull();
        firehoseGrant(key);
        assertThat(put(name, "after a new grant").encrypted()).isTrue();
    }

    @Test
    void aGrantRetiredBySomeoneElseRefusesPutsAndShowsOnTheStream() {
        String name = uniqueName("retired");
        KeyMetadata key = activeStreamEncryptedWithNewKey(name, "grant retired");
        assertThat(put(name, "before the retirement").encrypted()).isTrue();

        kms.retireGrant(r -> r.keyId(key.arn()).grantId(firehoseGrant(key).grantId()));

        assertRefusedBecauseTheGrantIsGone(name);
        assertDescribeShowsTheFault(name, key);
    }

    /**
     * Another instance's revocation is not announced here: the data key this instance cached is trusted for the rest
     * of its window, never longer. The grant is deleted under the service, as that other instance's RevokeGrant would.
     */
    @Test
    void aGrantRevokedElsewhereIsHonouredOnceTheCachedDataKeyIsNoLongerTrusted() {
        String name = uniqueName("revoked-elsewhere");
        KeyMetadata key = activeStreamEncryptedWithNewKey(name, "grant revoked by another instance");
        assertThat(put(name, "caches a data key").encrypted()).isTrue();

        jdbc.sql("DELETE FROM kms_grant WHERE grant_id = :id").param("id", firehoseGrant(key).grantId()).update();
        assertThat(put(name, "within the trust window").encrypted()).isTrue();
        clock.advance(DataKeys.MAX_AGE);

        assertRefusedBecauseTheGrantIsGone(name);
        assertDescribeShowsTheFault(name, key);
    }

    /**
     * While Firehose retires its own grant (a Stop, DISABLING) puts go on under the key, as AWS documents: they are not
     * sealed through the grant any more, so the retirement never refuses them. The moment between the retirement and
     * DISABLED is set up by hand: the stream marked as the Stop marks it, the grant gone.
     */
    @Test
    void firehosesOwnRetirementOfItsGrantNeverRefusesThePutsOfAStopUnderWay() {
        String name = uniqueName("stopping");
        KeyMetadata key = activeStreamEncryptedWithNewKey(name, "grant retired by a stop");
        jdbc.sql("UPDATE data_plane_stream SET grant_retiring = TRUE WHERE name = :name").param("name", name).update();
        jdbc.sql("DELETE FROM kms_grant WHERE grant_id = :id").param("id", firehoseGrant(key).grantId()).update();
        clock.advance(DataKeys.MAX_AGE);

        PutRecordResponse sealed = put(name, "while disabling");

        assertThat(sealed.encrypted()).isTrue();
        assertThat(jdbc.sql("SELECT key_arn FROM record_buffer WHERE record_id = :id").param("id", sealed.recordId())
                .query(String.class).single()).isEqualTo(key.arn());
    }

    @Test
    void recordsPutBeforeAndAfterTheKeyIsRotatedAreAllDeliveredDecryptedInOrder() throws Exception {
        String name = uniqueName("rotated");
        String bucket = "bucket-" + name;
        firehose.createDeliveryStream(r -> r.deliveryStreamName(name).extendedS3DestinationConfiguration(d -> d
                .roleARN("arn:aws:iam::123456789012:role/firehose").bucketARN("arn:aws:s3:::" + bucket)
                .bufferingHints(b -> b.intervalInSeconds(900).sizeInMBs(1))));
        awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE);
        KeyMetadata key = newKey("rotated mid-stream");
        startWithCustomerKey(firehose, name, key.arn());
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);

        PutRecordResponse before = put(name, "one,");
        putAll(name, "two,", "three,");
        kms.rotateKeyOnDemand(r -> r.keyId(key.keyId()));
        // The data key cached before the rotation is used for the rest of its window, as AWS's data-key caching does.
        clock.advance(DataKeys.MAX_AGE);
        PutRecordResponse after = put(name, "four,");
        putAll(name, "five,", "six");

        RotationsListEntry current = kms.listKeyRotations(r -> r.keyId(key.keyId())).rotations().get(0);
        assertThat(wrappedDataKey(before.recordId())[0]).as("a data key sealed under the first material").isEqualTo((byte) 1);
        byte[] rotated = wrappedDataKey(after.recordId());
        assertThat(rotated[0]).as("a data key sealed under the material the rotation added").isEqualTo((byte) 2);
        assertThat(HexFormat.of().formatHex(Arrays.copyOfRange(rotated, 37, 69))).isEqualTo(current.keyMaterialId());

        clock.advance(Duration.ofSeconds(900));
        delivery.deliverDue();
        List<Path> objects = Waits.background().until(() -> DeliveredObjects.in(directory, bucket), list -> !list.isEmpty());
        assertThat(objects).singleElement().satisfies(object ->
                assertThat(Files.readString(object, StandardCharsets.UTF_8)).isEqualTo("one,two,three,four,five,six"));
        assertThat(buffered(name)).isZero();
    }

    byte[] wrappedDataKey(String recordId) {
        return jdbc.sql("SELECT wrapped_data_key FROM record_buffer WHERE record_id = :id").param("id", recordId)
                .query(byte[].class).single();
    }

    /** Every operation the grant lists is one the embedded KMS serves ({@code ReEncryptFrom/To}: its ReEncrypt). */
    @Test
    void theGrantListsOnlyOperationsTheEmbeddedKmsServes() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String operation : FirehoseGrant.OPERATIONS) {
            String served = operation.startsWith("ReEncrypt") ? "ReEncrypt" : operation;
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
                    .header("Content-Type", "application/x-amz-json-1.1")
                    .header("X-Amz-Target", "TrentService." + served)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(served).isEqualTo(400);
            assertThat(answer.body()).as(served).doesNotContain("UnknownOperation").doesNotContain("not implemented");
        }
        KeyMetadata key = newKey("grant operations");
        String name = uniqueName("operations");
        io.firehosesse.support.Streams.createActive(firehose, name);
        startWithCustomerKey(firehose, name, key.arn());
        awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);
        assertThat(firehoseGrant(key).operationsAsStrings()).containsExactlyInAnyOrderElementsOf(FirehoseGrant.OPERATIONS);
    }
}
