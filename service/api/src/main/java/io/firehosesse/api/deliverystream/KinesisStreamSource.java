package io.firehosesse.api.deliverystream;

/** The Kinesis data stream a {@code KinesisStreamAsSource} stream reads from. */
public record KinesisStreamSource(String kinesisStreamArn, String roleArn) {
}
