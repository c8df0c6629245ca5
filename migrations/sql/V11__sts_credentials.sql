-- Temporary credentials issued by STS GetSessionToken and AssumeRole. issued_at is the session's creation
-- time: CloudTrail shows it, and Firehose's six-hour rule for grant creation is measured from it.
CREATE TABLE sts_credential (
    access_key_id     VARCHAR(32)  PRIMARY KEY,
    secret_access_key VARCHAR(64)  NOT NULL,
    session_token     TEXT         NOT NULL,
    account_id        VARCHAR(12)  NOT NULL,
    principal_arn     VARCHAR(512) NOT NULL,
    -- the long-term key that asked for them
    source_key_id     VARCHAR(32)  NOT NULL,
    issued_at         TIMESTAMPTZ  NOT NULL,
    expires_at        TIMESTAMPTZ  NOT NULL
);

CREATE INDEX sts_credential_by_expiry ON sts_credential (expires_at);
