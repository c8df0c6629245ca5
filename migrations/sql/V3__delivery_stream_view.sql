-- The DescribeDeliveryStream view, written by the delivery-stream-view projection.
CREATE TABLE delivery_stream_view (
    stream_id                VARCHAR(64)  PRIMARY KEY,
    account_id               VARCHAR(12)  NOT NULL,
    region                   VARCHAR(32)  NOT NULL,
    name                     VARCHAR(64)  NOT NULL,
    arn                      VARCHAR(512) NOT NULL,
    status                   VARCHAR(32)  NOT NULL,
    stream_type              VARCHAR(32)  NOT NULL,
    version_id               BIGINT       NOT NULL,
    create_timestamp         TIMESTAMPTZ  NOT NULL,
    last_update_timestamp    TIMESTAMPTZ,
    delivery_start_timestamp TIMESTAMPTZ,
    kinesis_source           JSONB,
    destinations             JSONB        NOT NULL,
    tags                     JSONB        NOT NULL,
    encryption_status        VARCHAR(32)  NOT NULL DEFAULT 'DISABLED',
    encryption_key_type      VARCHAR(32),
    encryption_key_arn       VARCHAR(512),
    failure_type             VARCHAR(64),
    failure_details          VARCHAR(1024),
    -- Aggregate sequence of the last event applied: makes every handler idempotent under replay.
    last_sequence            BIGINT       NOT NULL
);

CREATE INDEX delivery_stream_view_by_name ON delivery_stream_view (account_id, region, name);
