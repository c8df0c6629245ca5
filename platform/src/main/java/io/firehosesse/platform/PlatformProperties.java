package io.firehosesse.platform;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.env.Environment;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code firehose.*} settings every module reads: which account and region the service is, where data lives,
 * whether a missing database is created, and how often a stream's aggregate is snapshotted. The application's own
 * settings are in its own record; both bind under {@code firehose}, each taking only its own names.
 *
 * @param accountId         the account of every stream and key in open mode (ARNs, error messages)
 * @param defaultRegion     the region of a request whose Authorization header names none, and of REST queries
 *                          without {@code ?region=}
 * @param dataDir           where the service keeps what it stores on disk: the embedded PostgreSQL ({@code postgres/},
 *                          when {@code spring.datasource.url} is empty), the embedded KMS's master key file and objects
 *                          delivered to S3 destinations; relative paths are resolved against the working directory
 * @param createDatabase    whether the database named in {@code spring.datasource.url} is created on start-up when the
 *                          server says it does not exist
 * @param snapshotThreshold events between snapshots of a delivery stream's aggregate, so a command never re-reads a
 *                          long history
 */
@ConfigurationProperties("firehose")
@Validated
public record PlatformProperties(
        @DefaultValue("123456789012") @Pattern(regexp = "\\d{12}", message = "must be 12 digits") String accountId,
        @DefaultValue("us-east-1") @NotBlank String defaultRegion,
        @DefaultValue("firehose-data") @NotBlank String dataDir,
        @DefaultValue("true") boolean createDatabase,
        @DefaultValue("100") @Positive int snapshotThreshold) {

    /**
     * The same record bound straight from the environment, for {@link DatabaseBootstrap}, which runs before any bean
     * exists; the bean bound later is validated, so a bad value still stops start-up with the property's name.
     */
    static PlatformProperties of(Environment environment) {
        return Binder.get(environment).bindOrCreate("firehose", Bindable.of(PlatformProperties.class));
    }
}
