CREATE TABLE kms_alias (
    account_id    VARCHAR(12)  NOT NULL,
    region        VARCHAR(32)  NOT NULL,
    alias_name    VARCHAR(256) NOT NULL,
    target_key_id VARCHAR(36)  NOT NULL REFERENCES kms_key (key_id) ON DELETE CASCADE,
    creation_date TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (account_id, region, alias_name)
);

CREATE INDEX kms_alias_by_key ON kms_alias (target_key_id);

CREATE TABLE kms_grant (
    grant_id           VARCHAR(64)  PRIMARY KEY,
    key_id             VARCHAR(36)  NOT NULL REFERENCES kms_key (key_id) ON DELETE CASCADE,
    name               VARCHAR(256),
    grantee_principal  VARCHAR(256) NOT NULL,
    retiring_principal VARCHAR(256),
    operations         JSONB        NOT NULL,
    constraints        JSONB,
    issuing_account    VARCHAR(64)  NOT NULL,
    creation_date      TIMESTAMPTZ  NOT NULL
);

-- KMS makes CreateGrant idempotent by name: a repeated identical request answers with the grant it made before.
CREATE INDEX kms_grant_by_name ON kms_grant (key_id, name) WHERE name IS NOT NULL;
CREATE INDEX kms_grant_by_key ON kms_grant (key_id, grant_id);
CREATE INDEX kms_grant_by_retiring_principal ON kms_grant (retiring_principal);
