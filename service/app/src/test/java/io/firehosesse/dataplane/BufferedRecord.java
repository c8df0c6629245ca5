package io.firehosesse.dataplane;

import io.firehosesse.support.TestDatabase;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.postgresql.Driver;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** A row of {@code record_buffer} as the service left it, read over JDBC with no service in between. */
record BufferedRecord(String recordId, String stream, int sizeBytes, boolean encrypted, String keyArn,
                      byte[] wrappedDataKey, byte[] iv, byte[] data) {

    /** Every buffered record in the database, by RecordId, with the name of its stream. */
    static Map<String, BufferedRecord> readAll(String databaseUrl) {
        JdbcClient jdbc = JdbcClient.create(new SimpleDriverDataSource(new Driver(), databaseUrl,
                TestDatabase.username(), TestDatabase.password()));
        return jdbc.sql("""
                        SELECT b.record_id, s.name, b.size_bytes, b.encrypted, b.key_arn, b.wrapped_data_key, b.iv, b.data
                        FROM record_buffer b LEFT JOIN data_plane_stream s ON s.stream_id = b.stream_id
                        """)
                .query((rs, row) -> new BufferedRecord(rs.getString("record_id"), rs.getString("name"), rs.getInt("size_bytes"),
                        rs.getBoolean("encrypted"), rs.getString("key_arn"), rs.getBytes("wrapped_data_key"), rs.getBytes("iv"),
                        rs.getBytes("data")))
                .list().stream()
                .collect(Collectors.toMap(BufferedRecord::recordId, Function.identity()));
    }
}
