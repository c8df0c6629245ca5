package io.firehosesse.system;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The service's own settings ({@code firehose.*}; the account, region and data directory are platform's
 * {@code PlatformProperties}). A value out of range stops start-up with a message naming the
 * property (Bean Validation).
 *
 * @param lifecycle     how long the asynchronous lifecycle steps take
 * @param trainingRun   start, then stop at once (gracefully, the embedded PostgreSQL with it): the build's run that
 *                      records the classes a start loads for class-data sharing
 * @param controlPlane  the bound on changes in progress
 * @param dataPlane     the bound on puts in progress
 */
@ConfigurationProperties("firehose")
@Validated
public record FirehoseProperties(
        @DefaultValue @Valid Lifecycle lifecycle,
        @DefaultValue("false") boolean trainingRun,
        @DefaultValue @Valid ControlPlane controlPlane,
        @DefaultValue @Valid DataPlane dataPlane) {

    /**
     * @param creationDelay how long a new stream stays CREATING before it becomes ACTIVE
     * @param deletionDelay how long a stream stays DELETING before it is gone
     */
    public record Lifecycle(
            @DefaultValue("500ms") @NotNull Duration creationDelay,
            @DefaultValue("500ms") @NotNull Duration deletionDelay) {
    }

    /**
     * @param maxConcurrentCommands changes (Create, Delete, Tag, Untag, Start, Stop) in progress at once; more wait up
     *                              to 10 s, holding no database connection, then get ServiceUnavailableException
     */
    public record ControlPlane(@DefaultValue("8") @Positive int maxConcurrentCommands) {
    }

    /**
     * @param maxConcurrentPuts PutRecord/PutRecordBatch calls in progress at once; past that a call waits 200 ms, then
     *                          gets ServiceUnavailableException (503)
     */
    public record DataPlane(@DefaultValue("32") @Positive int maxConcurrentPuts) {
    }
}
