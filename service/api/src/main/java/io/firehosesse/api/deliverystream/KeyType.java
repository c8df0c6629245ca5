package io.firehosesse.api.deliverystream;

/** Which kind of KMS key protects a stream's data at rest. */
public enum KeyType {
    AWS_OWNED_CMK,
    CUSTOMER_MANAGED_CMK
}
