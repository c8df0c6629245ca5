-- The command side's set of names in use: one row per live stream, claimed in the same transaction
-- as DeliveryStreamCreated and released with DeliveryStreamDeleted, so two creators of one name
-- can never both succeed.
CREATE TABLE delivery_stream_name (
    account_id VARCHAR(12)  NOT NULL,
    region     VARCHAR(32)  NOT NULL,
    name       VARCHAR(64)  NOT NULL,
    stream_id  VARCHAR(64)  NOT NULL UNIQUE,
    PRIMARY KEY (account_id, region, name)
);
