package io.firehosesse.dataplane;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/** Picks where delivered objects go: the configured S3-compatible endpoint, else the local directory. */
@Configuration(proxyBeanMethods = false)
class ObjectStoreConfiguration {

    @Bean
    ObjectStore objectStore(DeliveryProperties properties) {
        DeliveryProperties.S3 s3 = properties.s3();
        if (!s3.configured()) {
            return new DirectoryObjectStore(properties.directory());
        }
        AwsCredentialsProvider credentials = s3.accessKeyId() != null && !s3.accessKeyId().isBlank()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKeyId(), s3.secretAccessKey()))
                : DefaultCredentialsProvider.builder().build();
        return new S3ObjectStore(S3Client.builder()
                .endpointOverride(s3.endpoint())
                .region(Region.of(s3.region()))
                .forcePathStyle(s3.pathStyle())
                // Objects are whole in memory: sign the body's hash in one piece instead of aws-chunked streaming,
                // which not every S3 stand-in decodes.
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .credentialsProvider(credentials)
                // Checksums only where S3 requires them: S3 stand-ins often reject the chunked trailers otherwise.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.create())
                .build());
    }
}
