package io.firehosesse.support;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What calls came to, counted by outcome: {@value #OK}, the AWS error code with its HTTP status
 * ({@code LimitExceededException/400}), or the client-side exception when no answer came.
 */
public final class Outcomes {

    public static final String OK = "200";

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, String> firstMessages = new ConcurrentHashMap<>();

    /** Makes the call and counts its outcome; the response when it was 200. */
    public <T> Optional<T> call(Supplier<T> call) {
        try {
            T response = call.get();
            record(OK);
            return Optional.of(response);
        } catch (SdkException e) {
            record(of(e), e.getMessage());
            return Optional.empty();
        }
    }

    public static String of(SdkException e) {
        if (e instanceof AwsServiceException answered) {
            String code = answered.awsErrorDetails() == null ? "?" : answered.awsErrorDetails().errorCode();
            return code + "/" + answered.statusCode();
        }
        return e.getClass().getSimpleName();
    }

    /** The HTTP status in an outcome, or 0 when the service gave no answer. */
    public static int status(String outcome) {
        if (OK.equals(outcome)) {
            return 200;
        }
        int slash = outcome.lastIndexOf('/');
        return slash < 0 ? 0 : Integer.parseInt(outcome.substring(slash + 1));
    }

    public void record(String outcome) {
        counts.computeIfAbsent(outcome, o -> new LongAdder()).increment();
    }

    /** Counts a failed outcome and keeps its message if it is the first of its kind. */
    public void record(String outcome, String message) {
        record(outcome);
        if (message != null) {
            firstMessages.putIfAbsent(outcome, message);
        }
    }

    public long count(String outcome, String... more) {
        long total = get(outcome);
        for (String other : more) {
            total += get(other);
        }
        return total;
    }

    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public Map<String, Long> counts() {
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach((outcome, count) -> sorted.put(outcome, count.sum()));
        return sorted;
    }

    /** The message of the first call of each failed outcome, for a person reading a failure. */
    public Map<String, String> firstMessages() {
        return new TreeMap<>(firstMessages);
    }

    @Override
    public String toString() {
        return counts().toString();
    }

    private long get(String outcome) {
        LongAdder count = counts.get(outcome);
        return count == null ? 0 : count.sum();
    }
}
