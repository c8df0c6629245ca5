package io.firehosesse.kms;

import static org.assertj.core.api.Assertions.assertThat;

import io.firehosesse.support.AwsClientsIT;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A second client: boto3 (the Python SDK, with its own serialisation of blobs, timestamps and errors) calls each
 * family of KMS operations against the running service. Runs where {@code python3} with boto3 is installed.
 */
class KmsBoto3IT extends AwsClientsIT {

    private static final long TIMEOUT_SECONDS = 300;

    @Test
    void boto3CallsEveryFamilyAndGetsWhatAwsWouldAnswer() throws Exception {
        Assumptions.assumeTrue(boto3Available(), "python3 with boto3 is not installed");
        Path script = Files.createTempFile("kms_families", ".py");
        try (InputStream in = getClass().getResourceAsStream("/boto3/kms_families.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Path output = Files.createTempFile("kms_families", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder("python3", script.toString(), "http://localhost:" + port)
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().put("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
            builder.environment().put("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
            // Keep the developer's own AWS configuration out of it.
            builder.environment().put("AWS_CONFIG_FILE", "/dev/null");
            builder.environment().put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
            builder.environment().remove("AWS_SESSION_TOKEN");
            builder.environment().remove("AWS_PROFILE");
            Process process = builder.start();
            boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
            }
            String log = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(finished).as("boto3 script finished within %ss:%n%s", TIMEOUT_SECONDS, log).isTrue();
            assertThat(process.exitValue()).as("boto3 script output:%n%s", log).isZero();
            assertThat(log).contains("all KMS families answered as expected");
        } finally {
            Files.deleteIfExists(script);
            Files.deleteIfExists(output);
        }
    }

    private static boolean boto3Available() {
        try {
            Process probe = new ProcessBuilder("python3", "-c", "import boto3").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException notInstalled) {
            return false;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
