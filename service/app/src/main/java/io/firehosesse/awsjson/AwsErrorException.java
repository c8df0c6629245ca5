package io.firehosesse.awsjson;

import java.util.Map;

/**
 * An error the wire answers as AWS does: {@code __type}, {@code message}, the HTTP status, and any
 * modelled members the shape adds (such as {@code code} on InvalidKMSResourceException).
 */
public class AwsErrorException extends RuntimeException {

    private final String type;
    private final int status;
    private final Map<String, Object> members;
    private final String messageMember;

    public AwsErrorException(String type, int status, String message, Map<String, Object> members, String messageMember) {
        super(message, null, false, false);
        this.type = type;
        this.status = status;
        this.members = Map.copyOf(members);
        this.messageMember = messageMember;
    }

    public AwsErrorException(String type, int status, String message, Map<String, Object> members) {
        this(type, status, message, members, "message");
    }

    public AwsErrorException(String type, int status, String message) {
        this(type, status, message, Map.of());
    }

    public static AwsErrorException serialization(String message) {
        return new AwsErrorException("SerializationException", 400, message);
    }

    public static AwsErrorException validation(String message) {
        return new AwsErrorException("ValidationException", 400, message);
    }

    public String type() {
        return type;
    }

    public int status() {
        return status;
    }

    public Map<String, Object> members() {
        return members;
    }

    /** {@code message}, except where the service spells it {@code Message} (KMS's AccessDeniedException). */
    public String messageMember() {
        return messageMember;
    }
}
