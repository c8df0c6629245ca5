package io.firehosesse.auth;

import java.time.Duration;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.validation.annotation.Validated;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How callers are authenticated ({@code firehose.auth.*}).
 *
 * @param credentialsFile YAML naming the keys that may call and whom they stand for; empty: open mode,
 *                        where any well-formed request is accepted and recorded as unverified
 * @param maxSkew         how far X-Amz-Date may be from the server's clock (Firehose allows 5 minutes)
 * @param sessionDuration how long STS GetSessionToken/AssumeRole credentials last unless the call says
 */
@ConfigurationProperties("firehose.auth")
@Validated
public record AuthProperties(
        @DefaultValue("") String credentialsFile,
        @DefaultValue("5m") @NotNull @DurationMin(nanos = 0) Duration maxSkew,
        @DefaultValue("12h") @NotNull @DurationMin(seconds = 1) Duration sessionDuration) {

    public boolean open() {
        return credentialsFile == null || credentialsFile.isBlank();
    }
}
