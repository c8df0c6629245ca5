package io.firehosesse.encryption;

import io.firehosesse.api.deliverystream.GrantRef;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Retires a grant Firehose holds, idempotently: a grant that is already gone counts as retired, so a
 * retry after a crash never fails on the work it did before. A key that is gone, or a refusal, is a
 * failure (the caller turns it into RETIRE_KMS_GRANT_FAILED).
 */
@Component
public class GrantRetirement {

    private static final Pattern KEY_ARN = Pattern.compile("arn:[a-z-]+:kms:([a-z0-9-]+):(\\d{12}):key/.+");

    private final KmsKeys kms;
    private final Clock clock;

    GrantRetirement(KmsKeys kms, Clock clock) {
        this.kms = kms;
        this.clock = clock;
    }

    /** Empty when the grant is retired (or was already); otherwise why it could not be. */
    public Optional<String> retire(GrantRef grant, Instant deadline) {
        Matcher arn = KEY_ARN.matcher(grant.keyId());
        KmsKeys.OnBehalfOf firehose = arn.matches()
                ? new KmsKeys.OnBehalfOf(arn.group(2), arn.group(1), null)
                : new KmsKeys.OnBehalfOf(null, null, null);
        var grants = KmsRetries.untilAnswered(clock, deadline, () -> kms.listGrants(firehose, grant.keyId()));
        if (!grants.isOk()) {
            return Optional.of(FailureTypes.details(grants.error()));
        }
        if (grants.value().stream().noneMatch(g -> g.grantId().equals(grant.grantId()))) {
            return Optional.empty();
        }
        var retired = KmsRetries.untilAnswered(clock, deadline, () -> kms.retireGrant(firehose, grant.keyId(), grant.grantId()));
        return retired.isOk() ? Optional.empty() : Optional.of(FailureTypes.details(retired.error()));
    }
}
