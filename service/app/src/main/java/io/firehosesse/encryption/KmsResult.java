package io.firehosesse.encryption;

import java.util.function.Function;

/** What a KMS call came to: a value, or KMS's refusal by name. */
public sealed interface KmsResult<T> permits KmsResult.Ok, KmsResult.Failed {

    /**
     * KMS's error name ({@code NotFoundException}, {@code DisabledException}, {@code KMSInvalidStateException},
     * {@code AccessDeniedException}, ...), or {@link #UNREACHABLE} when no KMS answered.
     */
    record KmsError(String name, String message) {

        public static final String UNREACHABLE = "KMSUnreachable";
    }

    record Ok<T>(T value) implements KmsResult<T> {
    }

    record Failed<T>(KmsError error) implements KmsResult<T> {
    }

    static <T> KmsResult<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> KmsResult<T> failed(String name, String message) {
        return new Failed<>(new KmsError(name, message));
    }

    default boolean isOk() {
        return this instanceof Ok;
    }

    /** The value; only for callers that checked {@link #isOk()}. */
    default T value() {
        if (this instanceof Ok<T> ok) {
            return ok.value();
        }
        throw new IllegalStateException("KMS refused: " + ((Failed<T>) this).error());
    }

    default KmsError error() {
        if (this instanceof Failed<T> failed) {
            return failed.error();
        }
        throw new IllegalStateException("KMS succeeded; there is no error");
    }

    default <R> KmsResult<R> map(Function<T, R> mapping) {
        return this instanceof Ok<T> ok ? new Ok<>(mapping.apply(ok.value())) : new Failed<>(error());
    }
}
