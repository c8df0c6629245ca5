package io.firehosesse.awsjson.firehose;

import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.FirehoseException;
import io.firehosesse.api.deliverystream.StreamKey;
import io.firehosesse.awsjson.AwsOperation;
import io.firehosesse.awsjson.AwsOperations;
import io.firehosesse.dataplane.IntakeLimiter;
import io.firehosesse.dataplane.RecordIntake;
import io.firehosesse.auth.Caller;
import java.util.List;
import org.springframework.stereotype.Component;

/** PutRecord and PutRecordBatch: records in, durably stored (encrypted when SSE is on) before the answer. */
@Component
class RecordOperations implements AwsOperations {

    private static final String PREFIX = "Firehose_20150804.";
    static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;

    private final RecordIntake intake;
    private final IntakeLimiter limiter;

    RecordOperations(RecordIntake intake, IntakeLimiter limiter) {
        this.intake = intake;
        this.limiter = limiter;
    }

    record Record(byte[] data) {
    }

    record PutRecordInput(String deliveryStreamName, Record record) {
    }

    record PutRecordOutput(String recordId, Boolean encrypted) {
    }

    record PutRecordBatchInput(String deliveryStreamName, List<Record> records) {
    }

    record PutRecordBatchResponseEntry(String recordId, String errorCode, String errorMessage) {
    }

    record PutRecordBatchOutput(Integer failedPutCount, Boolean encrypted, List<PutRecordBatchResponseEntry> requestResponses) {
    }

    @Override
    public List<AwsOperation<?>> operations() {
        return List.of(
                AwsOperation.of(PREFIX + "PutRecord", PutRecordInput.class, this::putRecord),
                AwsOperation.of(PREFIX + "PutRecordBatch", PutRecordBatchInput.class, this::putRecordBatch));
    }

    PutRecordOutput putRecord(PutRecordInput input, Caller caller) {
        RecordIntake.Accepted accepted = limiter.call(() ->
                intake.accept(key(input.deliveryStreamName(), caller), List.of(input.record().data())));
        return new PutRecordOutput(accepted.recordIds().get(0), accepted.encrypted());
    }

    PutRecordBatchOutput putRecordBatch(PutRecordBatchInput input, Caller caller) {
        List<byte[]> records = input.records().stream().map(Record::data).toList();
        long bytes = records.stream().mapToLong(data -> data.length).sum();
        if (bytes > MAX_BATCH_BYTES) {
            throw new FirehoseException(FirehoseErrorCode.InvalidArgumentException, "Records size " + bytes
                    + " bytes exceeds the limit of " + MAX_BATCH_BYTES + " bytes (4 MiB) for a PutRecordBatch request.");
        }
        RecordIntake.Accepted accepted = limiter.call(() -> intake.accept(key(input.deliveryStreamName(), caller), records));
        return new PutRecordBatchOutput(0, accepted.encrypted(),
                accepted.recordIds().stream().map(id -> new PutRecordBatchResponseEntry(id, null, null)).toList());
    }

    private static StreamKey key(String name, Caller caller) {
        return new StreamKey(caller.accountId(), caller.region(), name);
    }
}
