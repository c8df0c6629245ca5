package io.firehosesse.encryption;

import io.firehosesse.api.deliverystream.EncryptionRules;
import java.time.Duration;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.validation.annotation.Validated;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Server-side encryption settings ({@code firehose.encryption.*}).
 *
 * @param enableDelay       extra time before ENABLED is reported (rehearse AWS's timing; 0 by default)
 * @param disableDelay      extra time before a grant is retired and DISABLED is reported
 * @param kmsDeadline       how long the process keeps retrying an unreachable KMS before it gives up with
 *                          UNKNOWN_ERROR (ENABLING_FAILED) or RETIRE_KMS_GRANT_FAILED
 * @param sessionMaxAge     session credentials older than this make grant creation fail, as AWS documents
 * @param maxStreamsPerKey  how many streams one customer managed key may serve; AWS's limit,
 *                          {@link EncryptionRules#STREAMS_PER_CUSTOMER_KEY}, unless set
 */
@ConfigurationProperties("firehose.encryption")
@Validated
public record EncryptionProperties(
        @DefaultValue("0s") @NotNull @DurationMin(nanos = 0) Duration enableDelay,
        @DefaultValue("0s") @NotNull @DurationMin(nanos = 0) Duration disableDelay,
        @DefaultValue("2m") @NotNull @DurationMin(millis = 1) Duration kmsDeadline,
        @DefaultValue("6h") @NotNull @DurationMin(millis = 1) Duration sessionMaxAge,
        // "" + a constant int is itself a constant, as an annotation value must be.
        @DefaultValue("" + EncryptionRules.STREAMS_PER_CUSTOMER_KEY) @Positive int maxStreamsPerKey) {
}
