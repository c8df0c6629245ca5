-- Which streams use each customer managed key: at most 500 per key, as AWS allows. A row is written in
-- the transaction that records EncryptionRequested, under a per-key advisory lock, so the count is
-- exact under concurrent Starts; it is removed when the stream stops using the key.
CREATE TABLE customer_key_usage (
    key_arn   VARCHAR(256) NOT NULL,
    stream_id VARCHAR(64)  NOT NULL,
    PRIMARY KEY (key_arn, stream_id)
);

CREATE INDEX customer_key_usage_by_stream ON customer_key_usage (stream_id);

ALTER TABLE delivery_stream_view
    ADD COLUMN encryption_failure_type    VARCHAR(64),
    ADD COLUMN encryption_failure_details VARCHAR(1024);
