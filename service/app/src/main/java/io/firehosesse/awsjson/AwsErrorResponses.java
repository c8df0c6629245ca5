package io.firehosesse.awsjson;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.FirehoseException;
import io.firehosesse.api.InvalidKmsResourceException;
import io.firehosesse.kms.KmsException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.firehosesse.auth.AuthenticationException;
import io.firehosesse.platform.CallTransaction.ConflictingCallException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.stereotype.Component;

/**
 * The one place where failures become AWS error responses: {@code __type} (the bare shape name,
 * which botocore reads), {@code message}, the {@code x-amzn-ErrorType} header the Java SDK also
 * accepts, and the HTTP status AWS uses. Client errors are 400; faults are 5xx and never leak a stack.
 */
@Component
class AwsErrorResponses {

    private static final Logger log = LoggerFactory.getLogger(AwsErrorResponses.class);

    /** PostgreSQL's character_not_in_repertoire (a NUL byte in text) and untranslatable_character (an escaped NUL in JSONB). */
    private static final Set<String> UNSTORABLE_TEXT = Set.of("22021", "22P05");

    ResponseEntity<byte[]> handle(Throwable failure) throws JsonProcessingException {
        AwsErrorException error = translate(failure);
        if (error.status() >= 500) {
            log.error("{} answered to a request: {}", error.type(), failure.toString(), failure);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("__type", error.type());
        if (error.getMessage() != null) {
            body.put(error.messageMember(), error.getMessage());
        }
        body.putAll(error.members());
        return ResponseEntity.status(error.status())
                .contentType(AwsJsonEndpoint.AMZ_JSON)
                .header("x-amzn-ErrorType", error.type())
                .body(WireJson.mapper().writeValueAsBytes(body));
    }

    static AwsErrorException translate(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AwsErrorException aws) {
                return aws;
            }
            if (cause instanceof AuthenticationException refused) {
                return new AwsErrorException(refused.reason().jsonCode(), 400, refused.getMessage());
            }
            if (cause instanceof InvalidKmsResourceException kms) {
                return new AwsErrorException(kms.code().name(), 400, kms.getMessage(), Map.of("code", kms.kmsErrorCode()));
            }
            if (cause instanceof FirehoseException domain) {
                return new AwsErrorException(domain.code().name(),
                        domain.code() == FirehoseErrorCode.ServiceUnavailableException ? 503 : 400, domain.getMessage());
            }
            if (cause instanceof KmsException kms) {
                // AWS KMS spells the member "Message" on these two errors; clients read either spelling.
                boolean capitalised = kms.errorName().equals("AccessDeniedException")
                        || kms.errorName().equals("UnsupportedOperationException");
                return new AwsErrorException(kms.errorName(), 400, kms.getMessage(), Map.of(),
                        capitalised ? "Message" : "message");
            }
            if (cause instanceof ConflictingCallException) {
                // Still losing the race after retries: retryable, as AWS answers a busy resource.
                return unavailable();
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null && UNSTORABLE_TEXT.contains(sql.getSQLState())) {
                return unstorable();
            }
            if (cause instanceof DataAccessResourceFailureException || cause instanceof TransientDataAccessException
                    || cause instanceof CannotCreateTransactionException || cause instanceof java.sql.SQLTransientException
                    || connectionLost(cause)) {
                return unavailable();
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return new AwsErrorException("InternalFailure", 500,
                "The request processing has failed because of an unknown error, exception or failure.");
    }

    /**
     * A string PostgreSQL cannot hold: U+0000 in a text or JSONB column, or in a value compared with one.
     * AWS would take some of these (a KMS key description, a destination's prefix); this service cannot
     * store them, and says so as a client error rather than fail. Nothing was written: the statement
     * failed inside the request's transaction, which rolls back whole.
     */
    private static AwsErrorException unstorable() {
        return AwsErrorException.validation("1 validation error detected: a string in the request contains a character"
                + " this service cannot store or look up (U+0000).");
    }

    /**
     * A database connection lost however it is wrapped. Spring translates its own JDBC calls' failures, but
     * Axon's event store wraps the driver's in its own exceptions ({@code JdbcException: Failed to create a
     * SQL statement}), which answered 500 when PostgreSQL dropped the connection under a command. By
     * SQLSTATE: class 08 is a connection exception, 57P01–57P03 an administrator or crash shutdown, class 53
     * the server out of resources (too many connections). PostgreSQL gives every error it sends a SQLSTATE;
     * one without comes from the pool or the driver about the connection itself, such as the pool's
     * "Connection is closed" for a connection it has just evicted as broken.
     */
    private static boolean connectionLost(Throwable cause) {
        if (!(cause instanceof SQLException sql)) {
            return false;
        }
        String state = sql.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P0") || state.startsWith("53");
    }

    private static AwsErrorException unavailable() {
        return new AwsErrorException(FirehoseErrorCode.ServiceUnavailableException.name(), 503,
                "The service is unavailable. Back off and retry the operation.");
    }
}
