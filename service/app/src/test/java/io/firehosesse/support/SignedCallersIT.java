package io.firehosesse.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The service with a credentials file: two users in two accounts, an old and an expired session, and a role
 * STS may hand out. All classes extending this share one service (and its own database).
 */
@FirehoseIntegrationTest
@TestPropertySource(properties = TestDatabase.OWN_DATABASE + "=true")
public abstract class SignedCallersIT {

    public static final String ALICE = "AKIAALICE00000000001";
    public static final String ALICE_SECRET = "alice-secret-0000000000000000000000000000";
    public static final String BOB = "AKIABOB0000000000002";
    public static final String BOB_SECRET = "bob-secret-00000000000000000000000000000000";
    public static final String OLD_SESSION = "ASIAOLDSESSION000003";
    public static final String EXPIRED_SESSION = "ASIAEXPIRED000000004";
    public static final String DEPLOYER = "arn:aws:iam::111111111111:role/deployer";
    /** An operator in Alice's account whose key the file marks admin: the one who may call /api/admin/**. */
    public static final String OPERATOR = "AKIAOPERATOR00000005";
    public static final String OPERATOR_SECRET = "operator-secret-000000000000000000000000000";

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void credentialsFile(DynamicPropertyRegistry registry) {
        Instant now = Instant.now();
        String yaml = """
                credentials:
                  - accessKeyId: %s
                    secretAccessKey: %s
                    accountId: "111111111111"
                    principalArn: arn:aws:iam::111111111111:user/alice
                  - accessKeyId: %s
                    secretAccessKey: %s
                    accountId: "222222222222"
                    principalArn: arn:aws:iam::222222222222:user/bob
                  - accessKeyId: %s
                    secretAccessKey: %s
                    accountId: "111111111111"
                    principalArn: arn:aws:iam::111111111111:user/operator
                    admin: true
                  - accessKeyId: %s
                    secretAccessKey: old-secret
                    sessionToken: old-token
                    issuedAt: "%s"
                    expiresAt: "%s"
                    accountId: "111111111111"
                    principalArn: arn:aws:sts::111111111111:assumed-role/deployer/long-running
                  - accessKeyId: %s
                    secretAccessKey: expired-secret
                    sessionToken: expired-token
                    issuedAt: "%s"
                    expiresAt: "%s"
                    accountId: "111111111111"
                    principalArn: arn:aws:sts::111111111111:assumed-role/deployer/gone
                roles:
                  - arn: %s
                """.formatted(ALICE, ALICE_SECRET, BOB, BOB_SECRET, OPERATOR, OPERATOR_SECRET,
                OLD_SESSION, now.minus(Duration.ofHours(7)), now.plus(Duration.ofHours(5)),
                EXPIRED_SESSION, now.minus(Duration.ofHours(13)), now.minus(Duration.ofHours(1)), DEPLOYER);
        try {
            Path file = Files.createTempFile("firehose-credentials", ".yaml");
            Files.writeString(file, yaml);
            registry.add("firehose.auth.credentials-file", file::toString);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected AwsCredentialsProvider alice() {
        return Clients.credentials(ALICE, ALICE_SECRET);
    }

    /** REST API calls, signed by whom the test says. */
    protected SignedApi api() {
        return new SignedApi(port);
    }

    protected static AwsCredentialsIdentity aliceKey() {
        return AwsCredentialsIdentity.create(ALICE, ALICE_SECRET);
    }

    protected static AwsCredentialsIdentity bobKey() {
        return AwsCredentialsIdentity.create(BOB, BOB_SECRET);
    }

    protected static AwsCredentialsIdentity operatorKey() {
        return AwsCredentialsIdentity.create(OPERATOR, OPERATOR_SECRET);
    }
}
