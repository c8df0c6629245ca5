package io.firehosesse.bench;

import io.firehosesse.support.Clients;
import io.firehosesse.support.Streams;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;

/**
 * Measures, through the AWS SDK v2, one stream's Create → ACTIVE → Describe round trip against a
 * running service. Run: {@code java -cp <test classpath> io.firehosesse.bench.LifecycleRoundTrip [port] [streams]}.
 * Prints figures; asserts nothing.
 */
public final class LifecycleRoundTrip {

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        int streams = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        List<Double> create = new ArrayList<>();
        List<Double> toActive = new ArrayList<>();
        List<Double> describe = new ArrayList<>();
        try (FirehoseClient firehose = Clients.firehose(port)) {
            for (int i = 0; i < streams + 5; i++) {
                String name = "bench-" + UUID.randomUUID().toString().substring(0, 12);
                long start = System.nanoTime();
                Streams.createDirectPut(firehose, name);
                long created = System.nanoTime();
                while (Streams.describe(firehose, name).deliveryStreamStatus() != DeliveryStreamStatus.ACTIVE) {
                    Thread.sleep(5);
                }
                long active = System.nanoTime();
                Streams.describe(firehose, name);
                long described = System.nanoTime();
                if (i >= 5) { // the first few warm up the JIT on both sides
                    create.add((created - start) / 1e6);
                    toActive.add((active - start) / 1e6);
                    describe.add((described - active) / 1e6);
                }
            }
        }
        Percentiles.print("CreateDeliveryStream", create);
        Percentiles.print("Create -> ACTIVE seen by Describe", toActive);
        Percentiles.print("DescribeDeliveryStream", describe);
    }

}
