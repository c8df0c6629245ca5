package io.firehosesse.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded PostgreSQL as the service starts it, without the service. */
class EmbeddedDatabaseTest {

    @TempDir
    Path dataDir;

    @Test
    void startsInTheBackgroundOnAPortKnownAtOnceAndWritesDurably() throws Exception {
        EmbeddedDatabase database = EmbeddedDatabase.startInBackground(dataDir.resolve("postgres"));
        try {
            assertThat(database.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:" + database.port() + "/firehose");

            database.awaitStarted();

            try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), EmbeddedDatabase.USER, "");
                 Statement statement = connection.createStatement()) {
                assertThat(setting(statement, "fsync")).isEqualTo("on");
                assertThat(setting(statement, "synchronous_commit")).isEqualTo("on");
                assertThat(setting(statement, "data_directory")).isEqualTo(dataDir.resolve("postgres").toString());
            }
        } finally {
            database.stopIfUnused();
        }
        assertThat(dataDir.resolve("postgres").resolve("postmaster.pid")).doesNotExist();
    }

    @Test
    void aStartThatFailsIsReportedToWhoeverWaitsAndTriedAfreshNextTime() throws Exception {
        java.nio.file.Files.writeString(dataDir.resolve("not-a-directory"), "a file where the data should go");
        Path impossible = dataDir.resolve("not-a-directory").resolve("postgres");

        EmbeddedDatabase failed = EmbeddedDatabase.startInBackground(impossible);

        org.assertj.core.api.Assertions.assertThatThrownBy(failed::awaitStarted)
                .isInstanceOf(DatabaseUnavailableException.class).hasMessageContaining("did not start");
        // Forgotten before the failure is reported (so no waiting here): the next start tries again.
        assertThat(EmbeddedDatabase.running(impossible)).isEmpty();
        assertThat(EmbeddedDatabase.startInBackground(impossible)).isNotSameAs(failed);
    }

    private static String setting(Statement statement, String name) throws Exception {
        try (ResultSet result = statement.executeQuery("SHOW " + name)) {
            result.next();
            return result.getString(1);
        }
    }
}
