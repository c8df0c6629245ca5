package io.firehosesse.encryption;

import static io.firehosesse.support.EncryptionFixtures.awaitEncryption;
import static io.firehosesse.support.EncryptionFixtures.startWithCustomerKey;
import static io.firehosesse.support.Streams.awaitStatus;
import static io.firehosesse.support.Streams.createActive;
import static io.firehosesse.support.Streams.createDirectPut;
import static io.firehosesse.support.Streams.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.firehosesse.support.Clients;
import io.firehosesse.support.AwsClientsIT;
import io.firehosesse.support.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.KeyType;
import software.amazon.awssdk.services.firehose.model.LimitExceededException;
import software.amazon.awssdk.services.firehose.model.ResourceInUseException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

class EncryptionLimitsIT extends AwsClientsIT {

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    @Test
    void theTwentySixthAcceptedCallInADayIsRefusedAndRejectedCallsDoNotCount() {
        String name = uniqueName("limited");
        createActive(firehose, name);
        int rejected = 0;
        for (int call = 1; call <= 25; call++) {
            if (call % 2 == 1) {
                firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name));
                // A refused call must not use up a slot.
                try {
                    firehose.startDeliveryStreamEncryption(r -> r.deliveryStreamName(name)
                            .deliveryStreamEncryptionConfigurationInput(e -> e.keyType(KeyType.CUSTOMER_MANAGED_CMK)));
                } catch (InvalidArgumentException | ResourceInUseException refused) {
                    rejected++;
                }
                awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.ENABLED);
            } else {
                firehose.stopDeliveryStreamEncryption(r -> r.deliveryStreamName(name));
                awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.DISABLED);
            }
        }

        assertThatThrownBy(() -> firehose.stopDeliveryStreamEncryption(r -> r.deliveryStreamName(name)))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("limit of 25 StartDeliveryStreamEncryption and StopDeliveryStreamEncryption calls")
                .hasMessageContaining("The next call will be accepted after ");
        assertThat(rejected).isEqualTo(13);

        clock.advance(Duration.ofHours(24));
        try {
            firehose.stopDeliveryStreamEncryption(r -> r.deliveryStreamName(name));
            assertThat(awaitEncryption(firehose, name, DeliveryStreamEncryptionStatus.DISABLED).status())
                    .isEqualTo(DeliveryStreamEncryptionStatus.DISABLED);
        } finally {
            clock.advance(Duration.ofHours(-24));
        }
    }

    @Test
    void exactlyFiveHundredConcurrentStartsOnOneKeyAreAcceptedAndAStopFreesASlot() throws Exception {
        KeyMetadata key = newKey("popular");
        String prefix = uniqueName("p");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            names.add(prefix + "-" + i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            run(pool, names, (client, name) -> createDirectPut(client, name));
            names.forEach(name -> awaitStatus(firehose, name, DeliveryStreamStatus.ACTIVE));

            List<Boolean> accepted = run(pool, names, (client, name) -> {
                try {
                    startWithCustomerKey(client, name, key.arn());
                    return true;
                } catch (LimitExceededException full) {
                    return false;
                }
            });

            assertThat(accepted.stream().filter(a -> a).count()).isEqualTo(500);
            String refused = names.get(accepted.indexOf(false));
            String anyAccepted = names.get(accepted.indexOf(true));
            assertThat(jdbc.sql("SELECT count(*) FROM customer_key_usage WHERE key_arn = :key").param("key", key.arn())
                    .query(Long.class).single()).isEqualTo(500);

            awaitEncryption(firehose, anyAccepted, DeliveryStreamEncryptionStatus.ENABLED);
            firehose.stopDeliveryStreamEncryption(r -> r.deliveryStreamName(anyAccepted));
            awaitEncryption(firehose, anyAccepted, DeliveryStreamEncryptionStatus.DISABLED);
            startWithCustomerKey(firehose, refused, key.arn());
            assertThat(awaitEncryption(firehose, refused, DeliveryStreamEncryptionStatus.ENABLED).keyARN()).isEqualTo(key.arn());
        } finally {
            pool.shutdownNow();
        }
    }

    interface PerStream<T> {
        T apply(FirehoseClient client, String name);
    }

    private <T> List<T> run(ExecutorService pool, List<String> names, PerStream<T> work) throws Exception {
        List<Callable<T>> tasks = new ArrayList<>();
        ThreadLocal<FirehoseClient> clients = ThreadLocal.withInitial(() -> Clients.firehose(port));
        for (String name : names) {
            tasks.add(() -> work.apply(clients.get(), name));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> future : pool.invokeAll(tasks)) {
            results.add(future.get());
        }
        return results;
    }
}
