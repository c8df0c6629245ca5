-- The audit trail: one row per API call, its CloudTrail record kept as the exact text that was hashed, and
-- a SHA-256 chain over the sealed rows so that an edited, deleted or reordered row shows in
-- GET /api/audit/verify. Rows are sealed after they commit, by one sealer at a time, never at insert: a
-- lock on the chain head at insert time would put every API call in the service in one queue.
--
-- Text columns are TEXT without limits on purpose: an audit row must never make a call fail for being long.
CREATE TABLE audit_event (
    -- Insert order. Not commit order: the sealer waits at a gap until it is older than the grace period.
    sequence             BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id             UUID        NOT NULL UNIQUE,
    event_time           TIMESTAMPTZ NOT NULL,
    event_source         TEXT        NOT NULL,
    event_name           TEXT        NOT NULL,
    -- The recipient account (CloudTrail's recipientAccountId).
    account_id           TEXT,
    region               TEXT,
    principal_arn        TEXT,
    access_key_id        TEXT,
    error_code           TEXT,
    read_only            BOOLEAN     NOT NULL,
    request_id           TEXT,
    -- The first delivery-stream ARN among the record's resources, and its name, as plain columns rather than
    -- a text[] of all resources: a B-tree on (name, sequence) serves "this stream's calls, in order, from a
    -- cursor" as an index range scan that stops at the page size, where a GIN index on an array could only
    -- find the rows and then sort them all. The ARN needs no index of its own: its name is in it.
    delivery_stream_arn  TEXT,
    delivery_stream_name TEXT,
    -- The CloudTrail record, canonical JSON; verification hashes these bytes, never a re-serialisation.
    record               TEXT        NOT NULL,
    -- When the row was written, by the service's clock: the sealer's measure of how old a gap before it is.
    appended_at          TIMESTAMPTZ NOT NULL,
    -- Place in the chain, 1, 2, 3 ... without holes. Usually sequence order; a row that commits after the
    -- sealer gave up on its gap is sealed later, at the end. Holes are how a deleted row shows.
    chain_position       BIGINT      UNIQUE,
    previous_hash        CHAR(64),
    hash                 CHAR(64),
    sealed_at            TIMESTAMPTZ,
    CONSTRAINT audit_event_sealed_as_a_whole CHECK (
        (chain_position IS NULL AND previous_hash IS NULL AND hash IS NULL AND sealed_at IS NULL)
        OR (chain_position IS NOT NULL AND previous_hash IS NOT NULL AND hash IS NOT NULL AND sealed_at IS NOT NULL))
);

-- One per filter of GET /api/audit/events, each ending in sequence so that a filtered page is read in order.
CREATE INDEX audit_event_by_event_name ON audit_event (event_name, sequence);
CREATE INDEX audit_event_by_principal ON audit_event (principal_arn, sequence);
CREATE INDEX audit_event_by_access_key ON audit_event (access_key_id, sequence);
CREATE INDEX audit_event_by_delivery_stream ON audit_event (delivery_stream_name, sequence);
CREATE INDEX audit_event_by_error_code ON audit_event (error_code, sequence) WHERE error_code IS NOT NULL;
CREATE INDEX audit_event_by_request_id ON audit_event (request_id);
CREATE INDEX audit_event_by_time ON audit_event (event_time);
-- The sealer's work list and the "unsealed" count: small, as rows leave it within a seal interval or two.
CREATE INDEX audit_event_unsealed ON audit_event (sequence) WHERE hash IS NULL;

-- Where the chain ends: the sealer extends it from here, and verification of the whole chain checks its last
-- row against it, so that deleting the newest rows shows too. watermark is the highest sequence the sealer
-- has dealt with (sealed, or a gap given up as rolled back); a row at or below it that is still unsealed
-- committed late.
CREATE TABLE audit_chain_head (
    singleton BOOLEAN  PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    position  BIGINT   NOT NULL,
    hash      CHAR(64) NOT NULL,
    watermark BIGINT   NOT NULL
);

INSERT INTO audit_chain_head (position, hash, watermark) VALUES (0, repeat('0', 64), 0);
