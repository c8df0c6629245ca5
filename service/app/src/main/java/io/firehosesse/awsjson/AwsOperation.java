package io.firehosesse.awsjson;

import io.firehosesse.auth.Caller;

/**
 * One operation of the AWS JSON endpoint: the {@code X-Amz-Target} it answers, the record its input
 * binds to, and the handler that turns that input into the output shape.
 */
public record AwsOperation<I>(String target, Class<I> inputType, Handler<I> handler) {

    @FunctionalInterface
    public interface Handler<I> {
        Object handle(I input, Caller caller);
    }

    public static <I> AwsOperation<I> of(String target, Class<I> inputType, Handler<I> handler) {
        return new AwsOperation<>(target, inputType, handler);
    }

    Object invoke(Object input, Caller caller) {
        return handler.handle(inputType.cast(input), caller);
    }
}
