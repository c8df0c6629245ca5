-- What the data plane needs to know about each stream, kept in step with its events in the same
-- transaction: whether it takes records, and the key in force (null: records are stored in plain).
CREATE TABLE data_plane_stream (
    stream_id   VARCHAR(64)  PRIMARY KEY,
    account_id  VARCHAR(12)  NOT NULL,
    region      VARCHAR(32)  NOT NULL,
    name        VARCHAR(64)  NOT NULL,
    arn         VARCHAR(512) NOT NULL,
    stream_type VARCHAR(32)  NOT NULL,
    status      VARCHAR(32)  NOT NULL,
    key_type    VARCHAR(32),
    key_arn     VARCHAR(256),
    key_since   TIMESTAMPTZ
);

CREATE UNIQUE INDEX data_plane_stream_by_name ON data_plane_stream (account_id, region, name);

-- Records accepted and not yet delivered. An encrypted record holds its data key only wrapped by KMS.
CREATE TABLE record_buffer (
    record_id        VARCHAR(64)  PRIMARY KEY,
    -- Arrival order, also within one PutRecordBatch: delivered objects keep it.
    arrival          BIGINT       GENERATED ALWAYS AS IDENTITY,
    stream_id        VARCHAR(64)  NOT NULL,
    arrived_at       TIMESTAMPTZ  NOT NULL,
    size_bytes       INTEGER      NOT NULL,
    encrypted        BOOLEAN      NOT NULL,
    key_arn          VARCHAR(256),
    wrapped_data_key BYTEA,
    iv               BYTEA,
    data             BYTEA        NOT NULL
);

CREATE INDEX record_buffer_by_stream ON record_buffer (stream_id, arrival);
