-- Where the digests of the audit trail stand (AuditDigests, docs/auth-and-audit.md "Digests"). The digests themselves
-- are files outside PostgreSQL; this row only tells the writer where to go on: the next digest covers the chain
-- positions after `position` and names `digest_hash` as its predecessor. Nothing here is trusted by the verifier,
-- which checks the files against each other and against the trail.
--
-- trail_id names one chain of digests: the digests of a trail go to <directory>/<trail_id>/. A reset of the service
-- (POST /api/admin/reset) empties the trail and starts a new one with a new id, so its digests never overwrite the
-- old trail's.
CREATE TABLE audit_digest_head (
    singleton   BOOLEAN     PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    trail_id    UUID        NOT NULL,
    -- The number of the last digest written; 0 before the first.
    number      BIGINT      NOT NULL,
    -- The last chain position the last digest covered.
    position    BIGINT      NOT NULL,
    -- SHA-256 (hex) of the last digest file's bytes; 64 zeros before the first.
    digest_hash CHAR(64)    NOT NULL,
    -- The chain hash at `position` as the last digest signed it. Should the record there hash otherwise when the next
    -- digest is written, the trail was rewritten under the last digest: the writer says so in an error log line.
    chain_hash  CHAR(64)    NOT NULL DEFAULT repeat('0', 64),
    -- The end of the last digest's time range: where the next one's starts.
    written_at  TIMESTAMPTZ NOT NULL
);

INSERT INTO audit_digest_head (trail_id, number, position, digest_hash, written_at)
VALUES (gen_random_uuid(), 0, 0, repeat('0', 64), now());
