package io.firehosesse.audit;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the audit trail is sealed ({@code firehose.audit.*}).
 *
 * @param sealInterval  the pause between sealer runs: how long a committed record waits for its hash
 * @param gapGrace      how long the sealer waits at a sequence gap for the insert behind it to commit before
 *                      it takes the gap for a rolled-back call; a row that commits even later is still
 *                      sealed, at the end of the chain
 * @param sealBatchSize rows sealed per transaction, so a backlog never becomes one long transaction
 * @param enabled       whether calls are written to the audit trail; off only to measure what auditing costs
 */
@ConfigurationProperties("firehose.audit")
@Validated
public record AuditProperties(
        @DefaultValue("200ms") @NotNull Duration sealInterval,
        @DefaultValue("10s") @NotNull Duration gapGrace,
        @DefaultValue("1000") @Positive int sealBatchSize,
        @DefaultValue("true") boolean enabled) {
}
