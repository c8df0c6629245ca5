package io.firehosesse.system;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The service's own settings ({@code firehose.*}).
 *
 * @param accountId     the account every stream belongs to (ARNs, error messages)
 * @param defaultRegion the region of a request whose Authorization header names none
 * @param lifecycle     how long the asynchronous lifecycle steps take
 * @param trainingRun   start, then stop at once (gracefully, the embedded PostgreSQL with it): the build's run that
 *                      records the classes a start loads for class-data sharing
 */
@ConfigurationProperties("firehose")
public record FirehoseProperties(
        @DefaultValue("123456789012") String accountId,
        @DefaultValue("us-east-1") String defaultRegion,
        @DefaultValue Lifecycle lifecycle,
        @DefaultValue("false") boolean trainingRun) {

    /**
     * @param creationDelay how long a new stream stays CREATING before it becomes ACTIVE
     * @param deletionDelay how long a stream stays DELETING before it is gone
     */
    public record Lifecycle(
            @DefaultValue("500ms") Duration creationDelay,
            @DefaultValue("500ms") Duration deletionDelay) {
    }
}
