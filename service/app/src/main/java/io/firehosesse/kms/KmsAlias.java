package io.firehosesse.kms;

import java.time.Instant;

public record KmsAlias(String aliasName, String aliasArn, String targetKeyId, Instant creationDate) {
}
