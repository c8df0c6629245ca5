-- Why the key in force refuses data keys on the data path (a DeliveryStreamFailureType), or null while it
-- works: puts then skip the data-key cache, so the first one that KMS serves again reports the recovery.
ALTER TABLE data_plane_stream ADD COLUMN key_fault VARCHAR(32);

-- What became of delivered records, kept for the retention period so that a user can find the object a
-- record went into (GET /api/delivery-streams/{name}/records). Their contents are not kept.
CREATE TABLE delivered_record (
    record_id    VARCHAR(64)   PRIMARY KEY,
    arrival      BIGINT        NOT NULL,
    stream_id    VARCHAR(64)   NOT NULL,
    arrived_at   TIMESTAMPTZ   NOT NULL,
    size_bytes   INTEGER       NOT NULL,
    encrypted    BOOLEAN       NOT NULL,
    key_arn      VARCHAR(256),
    object_url   VARCHAR(2048) NOT NULL,
    delivered_at TIMESTAMPTZ   NOT NULL
);

CREATE INDEX delivered_record_by_stream ON delivered_record (stream_id, arrival);
CREATE INDEX delivered_record_by_age ON delivered_record (delivered_at);
