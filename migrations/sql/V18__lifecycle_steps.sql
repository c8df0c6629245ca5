-- The steps of a stream's lifecycle that fall due a delay after their event: CREATING -> ACTIVE, DELETING -> gone.
-- The lifecycle processor writes one row per event (the event's id is the key, so a redelivered event adds nothing);
-- a sweep takes the rows due now (FOR UPDATE SKIP LOCKED: each row by one instance), sends each one's command and
-- deletes the row in the same transaction, so a step survives a crash until its command has committed.
CREATE TABLE lifecycle_step (
    event_id           VARCHAR(255) PRIMARY KEY,
    stream_id          VARCHAR(255) NOT NULL,
    step               VARCHAR(16)  NOT NULL CHECK (step IN ('ACTIVATE', 'DELETE')),
    due_at             TIMESTAMPTZ  NOT NULL,
    requested_at       TIMESTAMPTZ  NOT NULL,
    allow_force_delete BOOLEAN      NOT NULL DEFAULT FALSE,
    -- DELETE only: the grants to retire first, as JSON [{"keyId": ..., "grantId": ...}]
    grants_to_retire   TEXT
);

CREATE INDEX lifecycle_step_due ON lifecycle_step (due_at);
