package io.firehosesse.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.junit.jupiter.api.Test;

class CallTransactionTest {

    @Test
    void aDeadlockVictimOrASerializationFailureIsTriedAgain() {
        assertThat(CallTransaction.isConflict(new PessimisticLockingFailureException("TRUNCATE ...",
                new SQLException("ERROR: deadlock detected", "40P01")))).isTrue();
        assertThat(CallTransaction.isConflict(new SQLException("could not serialize access", "40001"))).isTrue();
    }

    @Test
    void aLostSequenceRaceIsTriedAgainButNoOtherUniqueViolation() {
        assertThat(CallTransaction.isConflict(new SQLException("duplicate key value violates unique constraint \""
                + CallTransaction.EVENT_SEQUENCE_INDEX + "\"", "23505"))).isTrue();
        assertThat(CallTransaction.isConflict(new SQLException("duplicate key value violates unique constraint"
                + " \"kms_alias_pkey\"", "23505"))).isFalse();
        assertThat(CallTransaction.isConflict(new SQLException("relation does not exist", "42P01"))).isFalse();
    }

    @Test
    void aFailureWithoutASqlStateIsNoConflict() {
        // The driver gives none for a connection the server closed (an outage), among others.
        assertThat(CallTransaction.isConflict(new SQLException("An I/O error occurred while sending to the backend."))).isFalse();
        assertThat(CallTransaction.isConflict(new IllegalStateException("no SQL at all"))).isFalse();
    }
}
