-- Accepted StartDeliveryStreamEncryption / StopDeliveryStreamEncryption calls, for the 24-hour window
-- query (the aggregate enforces the limit; this answers questions about it).
CREATE TABLE encryption_call_view (
    stream_id       VARCHAR(64)  NOT NULL,
    sequence_number BIGINT       NOT NULL,
    operation       VARCHAR(64)  NOT NULL,
    called_at       TIMESTAMPTZ  NOT NULL,
    request_id      VARCHAR(64),
    principal       VARCHAR(256),
    PRIMARY KEY (stream_id, sequence_number)
);

CREATE INDEX encryption_call_view_window ON encryption_call_view (stream_id, called_at);

-- The KMS grants each stream holds, and where each is in its life.
CREATE TABLE stream_grant_view (
    grant_id        VARCHAR(128) PRIMARY KEY,
    stream_id       VARCHAR(64)  NOT NULL,
    key_arn         VARCHAR(256) NOT NULL,
    grant_name      VARCHAR(256),
    state           VARCHAR(32)  NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL,
    updated_at      TIMESTAMPTZ  NOT NULL
);

CREATE INDEX stream_grant_view_by_stream ON stream_grant_view (stream_id);
