package io.firehosesse.sts;

import io.firehosesse.auth.AuthProperties;
import io.firehosesse.auth.Credential;
import io.firehosesse.auth.CredentialStore;
import io.firehosesse.auth.PrincipalIds;
import io.firehosesse.auth.Caller;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import org.springframework.stereotype.Component;

/**
 * Issues temporary credentials as STS does and keeps them in PostgreSQL with their issue time, which
 * the six-hour rule and CloudTrail's sessionContext both read.
 */
@Component
class SessionIssuer {

    private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private final CredentialStore store;
    private final AuthProperties auth;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    SessionIssuer(CredentialStore store, AuthProperties auth, Clock clock) {
        this.store = store;
        this.auth = auth;
        this.clock = clock;
    }

    StsXml.Identity identity(Caller caller) {
        String arn = principal(caller);
        String type = caller.principal() == null ? "Root" : caller.identity().type();
        return new StsXml.Identity(arn, PrincipalIds.of(type, arn, caller.identity().sessionIssuerArn(), caller.accountId()),
                caller.accountId());
    }

    Credential sessionToken(Caller caller, Integer seconds) {
        if (caller.sessionIssuedAt() != null || (caller.accessKeyId() != null && caller.accessKeyId().startsWith("ASIA"))) {
            throw new StsException("AccessDenied", 403, "Cannot call GetSessionToken with session credentials");
        }
        Duration duration = duration(seconds, 900, 129_600, auth.sessionDuration());
        return issue(caller.accountId(), principal(caller), duration, caller.accessKeyId());
    }

    StsXml.AssumedRole assumeRole(Caller caller, String roleArn, String sessionName, Integer seconds) {
        require(roleArn, "roleArn");
        require(sessionName, "roleSessionName");
        if (!sessionName.matches("[\\w+=,.@-]{2,64}")) {
            throw new StsException("ValidationError", 400, "1 validation error detected: Value '" + sessionName
                    + "' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern:"
                    + " [\\w+=,.@-]*");
        }
        String[] parts = roleArn.split(":", 6);
        if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("iam") || !parts[4].matches("\\d{12}")
                || !parts[5].startsWith("role/")) {
            throw new StsException("ValidationError", 400, roleArn + " is invalid");
        }
        if (!auth.open() && !store.roleExists(roleArn)) {
            throw new StsException("AccessDenied", 403, "User: " + principal(caller)
                    + " is not authorized to perform: sts:AssumeRole on resource: " + roleArn);
        }
        String roleName = parts[5].substring(parts[5].lastIndexOf('/') + 1);
        String principal = "arn:" + parts[1] + ":sts::" + parts[4] + ":assumed-role/" + roleName + "/" + sessionName;
        Credential issued = issue(parts[4], principal, duration(seconds, 900, 43_200, Duration.ofHours(1)), caller.accessKeyId());
        return new StsXml.AssumedRole(issued, PrincipalIds.of("AssumedRole", principal, roleArn, parts[4]));
    }

    private Credential issue(String accountId, String principalArn, Duration duration, String sourceKeyId) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Credential issued = new Credential("ASIA" + token(KEY_ALPHABET, 16), base64(30), accountId, principalArn,
                base64(120), now, now.plus(duration));
        store.saveIssued(issued, sourceKeyId == null ? "anonymous" : sourceKeyId);
        return issued;
    }

    private static Duration duration(Integer seconds, int min, int max, Duration otherwise) {
        if (seconds == null) {
            return otherwise;
        }
        if (seconds < min || seconds > max) {
            throw new StsException("ValidationError", 400, "1 validation error detected: Value '" + seconds
                    + "' at 'durationSeconds' failed to satisfy constraint: Member must have value "
                    + (seconds < min ? "greater than or equal to " + min : "less than or equal to " + max));
        }
        return Duration.ofSeconds(seconds);
    }

    private static void require(String value, String member) {
        if (value == null || value.isBlank()) {
            throw new StsException("ValidationError", 400, "1 validation error detected: Value null at '" + member
                    + "' failed to satisfy constraint: Member must not be null");
        }
    }

    private static String principal(Caller caller) {
        return caller.principal() != null ? caller.principal() : "arn:aws:iam::" + caller.accountId() + ":root";
    }

    private String token(String alphabet, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    private String base64(int bytes) {
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }
}
