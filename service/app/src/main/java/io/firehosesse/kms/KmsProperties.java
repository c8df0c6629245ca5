package io.firehosesse.kms;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded KMS's settings ({@code firehose.kms.*}).
 *
 * @param masterKey     base64 of 32 bytes that wrap every key's material; when empty, the key is read
 *                      from {@code masterKeyFile}, which is created with a random key on first start
 * @param masterKeyFile where the generated master key lives
 */
@ConfigurationProperties("firehose.kms")
public record KmsProperties(
        @DefaultValue("") String masterKey,
        @DefaultValue("${user.home}/.firehose-sse/kms-master.key") Path masterKeyFile) {
}
