package io.firehosesse.awsjson;

import static org.assertj.core.api.Assertions.assertThat;

import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.FirehoseException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.axonframework.common.jdbc.JdbcException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

class AwsErrorResponsesTest {

    @Test
    void aDomainRuleBecomesItsAwsErrorEvenWhenWrapped() {
        AwsErrorException error = AwsErrorResponses.translate(new IllegalStateException("handler failed",
                new FirehoseException(FirehoseErrorCode.ResourceInUseException, "in use")));

        assertThat(error.type()).isEqualTo("ResourceInUseException");
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.getMessage()).isEqualTo("in use");
    }

    @Test
    void aDatabaseOutageIsARetryableServiceUnavailable() {
        AwsErrorException noConnection = AwsErrorResponses.translate(
                new CannotGetJdbcConnectionException("down", new SQLTransientConnectionException("refused")));
        AwsErrorException noTransaction = AwsErrorResponses.translate(
                new CannotCreateTransactionException("down"));

        assertThat(noConnection.type()).isEqualTo("ServiceUnavailableException");
        assertThat(noConnection.status()).isEqualTo(503);
        assertThat(noTransaction.status()).isEqualTo(503);
    }

    @Test
    void aStringTheDatabaseCannotHoldIsTheCallersValidationError() {
        AwsErrorException nulInText = AwsErrorResponses.translate(new DataIntegrityViolationException("insert failed",
                new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021")));
        AwsErrorException nulInJsonb = AwsErrorResponses.translate(new DataIntegrityViolationException("insert failed",
                new SQLException("unsupported Unicode escape sequence", "22P05")));

        assertThat(nulInText.type()).isEqualTo("ValidationException");
        assertThat(nulInText.status()).isEqualTo(400);
        assertThat(nulInJsonb.type()).isEqualTo("ValidationException");
    }

    @Test
    void aConnectionLostUnderTheEventStoreIsServiceUnavailableToo() {
        AwsErrorException closed = AwsErrorResponses.translate(new JdbcException("Failed to create a SQL statement",
                new SQLException("This connection has been closed.", "08003")));
        AwsErrorException evicted = AwsErrorResponses.translate(new JdbcException("Failed to create a SQL statement",
                new SQLException("Connection is closed")));
        AwsErrorException terminated = AwsErrorResponses.translate(new JdbcException("Failed to read events",
                new SQLException("FATAL: terminating connection due to administrator command", "57P01")));
        AwsErrorException badQuery = AwsErrorResponses.translate(new JdbcException("Failed to create a SQL statement",
                new SQLException("syntax error", "42601")));

        assertThat(closed.status()).isEqualTo(503);
        assertThat(evicted.status()).isEqualTo(503);
        assertThat(terminated.type()).isEqualTo("ServiceUnavailableException");
        assertThat(badQuery.status()).isEqualTo(500);
    }

    @Test
    void anythingElseIsAnInternalFailureThatRevealsNothing() {
        AwsErrorException error = AwsErrorResponses.translate(new NullPointerException("secret detail"));

        assertThat(error.type()).isEqualTo("InternalFailure");
        assertThat(error.status()).isEqualTo(500);
        assertThat(error.getMessage()).doesNotContain("secret detail");
    }
}
