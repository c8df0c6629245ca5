-- The 500-streams-per-key limit by slots instead of a lock: each stream that uses a customer key holds one of the
-- key's numbered slots, and the unique (key, slot) index is what keeps the count within the limit. Concurrent
-- Starts naming one key then wait for each other only when they pick the same free slot, where a lock taken at
-- the first of them made every Start naming that key wait for the one before it to commit.
ALTER TABLE customer_key_usage ADD COLUMN slot INTEGER;

UPDATE customer_key_usage u
   SET slot = numbered.n
  FROM (SELECT key_arn, stream_id, row_number() OVER (PARTITION BY key_arn ORDER BY stream_id) - 1 AS n
          FROM customer_key_usage) numbered
 WHERE u.key_arn = numbered.key_arn AND u.stream_id = numbered.stream_id;

ALTER TABLE customer_key_usage ALTER COLUMN slot SET NOT NULL;
ALTER TABLE customer_key_usage ADD CONSTRAINT customer_key_usage_one_stream_a_slot UNIQUE (key_arn, slot);
