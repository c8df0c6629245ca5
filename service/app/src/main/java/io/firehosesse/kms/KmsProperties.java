package io.firehosesse.kms;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded KMS's settings ({@code firehose.kms.*}).
 *
 * @param endpoint      empty for the embedded KMS; otherwise the URL of the KMS Firehose uses through the AWS SDK
 * @param masterKey     base64 of 32 bytes that wrap every key's material; when empty, the key is read
 *                      from {@code masterKeyFile}, which is created with a random key on first start
 * @param awsOwnedKeyArn with an external KMS, the key that protects AWS_OWNED_CMK streams (the embedded
 *                      KMS keeps one of its own per account and region)
 * @param masterKeyFile where the generated master key lives (application.yml: {@code <firehose.data-dir>/kms-master.key})
 */
@ConfigurationProperties("firehose.kms")
public record KmsProperties(
        @DefaultValue("") String endpoint,
        @DefaultValue("") String masterKey,
        @DefaultValue("") String awsOwnedKeyArn,
        Path masterKeyFile) {
}
