package io.firehosesse.dataplane;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where and how often buffered records are delivered ({@code firehose.delivery.*}).
 *
 * @param directory    S3 destinations are written here as {@code <directory>/<bucket>/<object key>}
 * @param pollInterval how often buffers are checked against their BufferingHints
 * @param retention    records not delivered within this time are dropped, as AWS does after 24 hours
 */
@ConfigurationProperties("firehose.delivery")
public record DeliveryProperties(
        Path directory,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("24h") Duration retention) {
}
