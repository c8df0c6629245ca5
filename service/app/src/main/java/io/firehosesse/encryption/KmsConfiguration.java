package io.firehosesse.encryption;

import io.firehosesse.kms.EmbeddedKms;
import io.firehosesse.kms.KmsProperties;
import java.net.URI;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/** One property picks the KMS: {@code firehose.kms.endpoint} empty for the embedded one, a URL for any other. */
@Configuration(proxyBeanMethods = false)
class KmsConfiguration {

    @Bean
    KmsKeys kmsKeys(KmsProperties properties, EmbeddedKms embedded) {
        if (properties.endpoint() == null || properties.endpoint().isBlank()) {
            return new EmbeddedKmsKeys(embedded);
        }
        return new SdkKmsKeys(URI.create(properties.endpoint()), DefaultCredentialsProvider.builder().build());
    }
}
