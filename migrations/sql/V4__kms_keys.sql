-- The embedded KMS's keys. Key material is stored only wrapped (AES-256-GCM) by the master key.
CREATE TABLE kms_key (
    key_id                 VARCHAR(36)  PRIMARY KEY,
    account_id             VARCHAR(12)  NOT NULL,
    region                 VARCHAR(32)  NOT NULL,
    arn                    VARCHAR(256) NOT NULL UNIQUE,
    description            VARCHAR(8192) NOT NULL DEFAULT '',
    key_spec               VARCHAR(32)  NOT NULL,
    key_usage              VARCHAR(32)  NOT NULL,
    key_state              VARCHAR(32)  NOT NULL,
    creation_date          TIMESTAMPTZ  NOT NULL,
    deletion_date          TIMESTAMPTZ,
    pending_window_days    INTEGER,
    policy                 TEXT         NOT NULL,
    tags                   JSONB        NOT NULL DEFAULT '[]',
    -- The key the service keeps for AWS_OWNED_CMK streams: never listed to users.
    aws_owned              BOOLEAN      NOT NULL DEFAULT FALSE,
    wrapped_material       BYTEA
);

CREATE INDEX kms_key_by_account ON kms_key (account_id, region, key_id);
