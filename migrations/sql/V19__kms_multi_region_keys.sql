-- Multi-Region keys. A primary and its replicas share one public key id (mrk- and 32 hex digits) and their key
-- material, one key per Region. kms_key.key_id stays the primary key every KMS table references, now read as the row's
-- id: a single-Region key's row id is its key id, as before (so every existing key, alias, grant and ciphertext is
-- untouched), and a multi-Region key's is '<key id>/<region>'. The service maps one to the other where it reads and
-- writes rows; the wire and ciphertext blobs only ever carry the public id.
ALTER TABLE kms_key ALTER COLUMN key_id TYPE VARCHAR(64);
ALTER TABLE kms_alias ALTER COLUMN target_key_id TYPE VARCHAR(64);
ALTER TABLE kms_grant ALTER COLUMN key_id TYPE VARCHAR(64);
ALTER TABLE kms_key_material ALTER COLUMN key_id TYPE VARCHAR(64);
ALTER TABLE kms_import_parameters ALTER COLUMN key_id TYPE VARCHAR(64);
ALTER TABLE kms_key_usage ALTER COLUMN key_id TYPE VARCHAR(64);

-- The Region of the multi-Region key's primary, on the primary and on each replica (null for a single-Region key);
-- UpdatePrimaryRegion rewrites it on every row of the key.
ALTER TABLE kms_key ADD COLUMN primary_region VARCHAR(32);
