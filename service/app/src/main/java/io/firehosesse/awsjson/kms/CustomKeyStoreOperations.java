package io.firehosesse.awsjson.kms;

import io.firehosesse.awsjson.AwsOperation;
import io.firehosesse.awsjson.AwsOperations;
import io.firehosesse.kms.KmsException;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The custom key store family of KMS (CloudHSM and external key stores). This KMS keeps every key's material
 * itself, behind its master key, and has neither an HSM cluster nor an XKS proxy to reach, so each operation is
 * answered with AWS's {@code UnsupportedOperationException} once the request has passed the model's checks,
 * rather than as an operation unknown to the endpoint.
 */
@Component
class CustomKeyStoreOperations implements AwsOperations {

    static final List<String> OPERATIONS = List.of("CreateCustomKeyStore", "ConnectCustomKeyStore",
            "DisconnectCustomKeyStore", "DeleteCustomKeyStore", "UpdateCustomKeyStore", "DescribeCustomKeyStores");

    /** Any input of the family: the model has validated it, and nothing in it is read. */
    record CustomKeyStoreRequest() {
    }

    @Override
    public List<AwsOperation<?>> operations() {
        return OPERATIONS.stream()
                .<AwsOperation<?>>map(name -> AwsOperation.of("TrentService." + name, CustomKeyStoreRequest.class,
                        (in, caller) -> {
                            throw KmsException.customKeyStoresUnsupported();
                        }))
                .toList();
    }
}
