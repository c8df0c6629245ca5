-- Asymmetric KMS keys: the public half (DER SubjectPublicKeyInfo), which GetPublicKey returns and Verify and
-- RSA Encrypt use. The private half is in wrapped_material, wrapped by the master key like symmetric material.
ALTER TABLE kms_key ADD COLUMN public_key BYTEA;
