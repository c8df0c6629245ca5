-- Rotation of symmetric KMS keys. A key's first material stays in kms_key.wrapped_material (blobs made before
-- rotation existed name no material and open with it); each rotation adds one row here, the newest sealing from then on.
CREATE TABLE kms_key_material (
    key_id            VARCHAR(36) NOT NULL REFERENCES kms_key (key_id) ON DELETE CASCADE,
    -- 1, 2, ... in rotation order: ListKeyRotations pages by it.
    generation        INTEGER     NOT NULL,
    material_id       VARCHAR(64) NOT NULL,
    wrapped_material  BYTEA       NOT NULL,
    rotation_date     TIMESTAMPTZ NOT NULL,
    rotation_type     VARCHAR(16) NOT NULL,
    PRIMARY KEY (key_id, generation),
    UNIQUE (key_id, material_id)
);

-- Automatic rotation: the period when enabled (null when not) and when the sweep rotates the key next.
ALTER TABLE kms_key ADD COLUMN rotation_period_days INTEGER;
ALTER TABLE kms_key ADD COLUMN next_rotation_date TIMESTAMPTZ;
CREATE INDEX kms_key_rotation_due ON kms_key (next_rotation_date) WHERE next_rotation_date IS NOT NULL;
