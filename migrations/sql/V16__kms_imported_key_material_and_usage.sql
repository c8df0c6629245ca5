-- Keys whose material the customer imports (Origin EXTERNAL). Such a key is PendingImport, with no wrapped_material,
-- until ImportKeyMaterial; DeleteImportedKeyMaterial (or the material's expiry) takes the material away again.
ALTER TABLE kms_key ADD COLUMN origin VARCHAR(32) NOT NULL DEFAULT 'AWS_KMS';
-- KEY_MATERIAL_EXPIRES (with valid_to) or KEY_MATERIAL_DOES_NOT_EXPIRE, while material is imported.
ALTER TABLE kms_key ADD COLUMN expiration_model VARCHAR(32);
ALTER TABLE kms_key ADD COLUMN valid_to TIMESTAMPTZ;
-- A keyed digest (HMAC under a key derived from the master key) of the first material imported: KMS takes only the
-- same material again, and this tells it without keeping the material after it is deleted. Also its KeyMaterialId.
ALTER TABLE kms_key ADD COLUMN imported_material_id VARCHAR(64);
CREATE INDEX kms_key_material_expiry ON kms_key (valid_to) WHERE valid_to IS NOT NULL;

-- The wrapping key and import token of the latest GetParametersForImport of a key (valid 24 hours).
CREATE TABLE kms_import_parameters (
    key_id               VARCHAR(36) PRIMARY KEY REFERENCES kms_key (key_id) ON DELETE CASCADE,
    wrapping_algorithm   VARCHAR(32) NOT NULL,
    wrapping_key_spec    VARCHAR(16) NOT NULL,
    -- The RSA private key (PKCS#8), wrapped by the master key.
    wrapped_private_key  BYTEA       NOT NULL,
    -- SHA-256 of the token handed out: the token itself is not kept.
    token_digest         BYTEA       NOT NULL,
    valid_to             TIMESTAMPTZ NOT NULL
);

-- GetKeyLastUsage: each successful cryptographic operation appends a row (appending takes no lock a busy key's
-- callers would queue on); the hourly sweep keeps only each key's latest. Keys made before this migration are
-- tracked from now on, which GetKeyLastUsage reports as their TrackingStartDate.
CREATE TABLE kms_key_usage (
    id          BIGSERIAL   PRIMARY KEY,
    key_id      VARCHAR(36) NOT NULL REFERENCES kms_key (key_id) ON DELETE CASCADE,
    operation   VARCHAR(64) NOT NULL,
    used_at     TIMESTAMPTZ NOT NULL,
    request_id  VARCHAR(128)
);
CREATE INDEX kms_key_usage_latest ON kms_key_usage (key_id, used_at DESC, id DESC);
ALTER TABLE kms_key ADD COLUMN usage_tracking_start TIMESTAMPTZ;
UPDATE kms_key SET usage_tracking_start = now();
