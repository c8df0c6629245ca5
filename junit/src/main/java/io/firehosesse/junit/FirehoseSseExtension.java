package io.firehosesse.junit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The extension behind {@link FirehoseSse}; {@code @ExtendWith(FirehoseSseExtension.class)} alone gives the
 * defaults. Services live in the root context's store, so they are shared across classes and closed (database
 * stopped, temporary data deleted) when the test run ends.
 */
public final class FirehoseSseExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FirehoseSseExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        FirehoseSseService service = service(context);
        if (settings(context).map(FirehoseSse::reset).orElse(FirehoseSse.Reset.NEVER) == FirehoseSse.Reset.BEFORE_CLASS) {
            service.reset();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (settings(context).map(FirehoseSse::reset).orElse(FirehoseSse.Reset.NEVER) == FirehoseSse.Reset.BEFORE_EACH) {
            service(context).reset();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == FirehoseSseService.class || type == FirehoseClient.class || type == KmsClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        FirehoseSseService service = service(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == FirehoseSseService.class) {
            return service;
        }
        if (type == FirehoseClient.class) {
            return service.firehose();
        }
        if (type == KmsClient.class) {
            return service.kms();
        }
        throw new ParameterResolutionException("firehose-sse cannot supply a " + type.getName());
    }

    /** The service for this class's settings, started on first use. */
    public static FirehoseSseService service(ExtensionContext context) {
        List<String> properties = settings(context).map(s -> List.of(s.properties())).orElse(List.of());
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("service:" + String.join("\n", properties),
                key -> FirehoseSseService.start(properties), FirehoseSseService.class);
    }

    /** The annotation on the test class or, for a {@code @Nested} class, on the nearest enclosing class. */
    private static Optional<FirehoseSse> settings(ExtensionContext context) {
        List<Class<?>> classes = new ArrayList<>();
        for (Class<?> type = context.getTestClass().orElse(null); type != null; type = type.getEnclosingClass()) {
            classes.add(type);
        }
        return classes.stream().map(type -> AnnotationSupport.findAnnotation(type, FirehoseSse.class))
                .flatMap(Optional::stream).findFirst();
    }
}
