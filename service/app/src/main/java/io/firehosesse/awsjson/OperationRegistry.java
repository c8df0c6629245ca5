package io.firehosesse.awsjson;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Every operation the endpoint serves, by {@code X-Amz-Target}, each paired at start-up with its
 * input shape in the AWS model so a handler can never be wired to a target the model does not know.
 */
@Component
class OperationRegistry {

    private final Map<String, Registered> byTarget = new HashMap<>();

    OperationRegistry(List<AwsOperations> features) {
        Map<String, AwsServiceModel> models = new HashMap<>();
        for (AwsServiceModel model : List.of(AwsServiceModel.load(AwsServiceModel.FIREHOSE),
                AwsServiceModel.load(AwsServiceModel.KMS))) {
            models.put(model.targetPrefix(), model);
        }
        for (AwsOperations feature : features) {
            for (AwsOperation<?> operation : feature.operations()) {
                int dot = operation.target().indexOf('.');
                AwsServiceModel model = models.get(operation.target().substring(0, dot));
                String operationName = operation.target().substring(dot + 1);
                String inputShape = model == null ? null : model.inputShapeOf(operationName).orElse(null);
                if (inputShape == null) {
                    throw new IllegalStateException("No AWS model knows the target " + operation.target());
                }
                byTarget.put(operation.target(), new Registered(operation, inputShape, new ShapeValidator(model)));
            }
        }
    }

    Set<String> targets() {
        return byTarget.keySet();
    }

    Optional<Registered> find(String target) {
        return Optional.ofNullable(target).map(byTarget::get);
    }

    record Registered(AwsOperation<?> operation, String inputShape, ShapeValidator validator) {
    }
}
