package io.firehosesse.audit;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.nio.file.Path;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
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
 * @param digest        the signed digests of the sealed trail, written outside the database
 */
@ConfigurationProperties("firehose.audit")
@Validated
public record AuditProperties(
        @DefaultValue("200ms") @NotNull Duration sealInterval,
        @DefaultValue("10s") @NotNull Duration gapGrace,
        @DefaultValue("1000") @Positive int sealBatchSize,
        @DefaultValue("true") boolean enabled,
        @DefaultValue @Valid @NotNull Digest digest) {

    /**
     * Digests of the audit trail ({@code firehose.audit.digest.*}).
     *
     * @param directory where digest files go, as {@code <directory>/<trail id>/digest-<number>.json}; unset, no
     *                  digests are written. Off by default on purpose: a digest protects the trail only when it is kept
     *                  where whoever can write to the database cannot write, and only the operator knows such a place
     *                  (another disk or host, a bucket with object lock); a default beside the embedded database's
     *                  files would look like protection without being it
     * @param interval  how often a digest of the records sealed since the last one is written (and once more at a
     *                  graceful stop); CloudTrail writes one an hour
     */
    public record Digest(
            Path directory,
            @DefaultValue("15m") @NotNull @DurationMin(seconds = 1) Duration interval) {

        public boolean enabled() {
            return directory != null && !directory.toString().isBlank();
        }
    }
}
