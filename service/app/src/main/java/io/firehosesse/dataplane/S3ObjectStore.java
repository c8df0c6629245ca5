package io.firehosesse.dataplane;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Objects written to an S3-compatible endpoint (MinIO, LocalStack, AWS itself) with the AWS SDK's client. */
class S3ObjectStore implements ObjectStore, AutoCloseable {

    private final S3Client s3;

    S3ObjectStore(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public void put(String bucket, String key, byte[] content) {
        s3.putObject(request -> request.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }

    @Override
    public String url(String bucket, String key) {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public void close() {
        s3.close();
    }
}
