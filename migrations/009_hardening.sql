-- Import runs record their temporary files (the upload, the unpacked scratch folder), so that a
-- run whose server died is marked failed at the next start and its files removed.
ALTER TABLE imports ADD COLUMN temp_paths text[] NOT NULL DEFAULT '{}';

-- Idempotency-Key: the first answer to a user's POST or PATCH under a key, replayed to a retry
-- with the same key (and refused for another request under it). status is NULL while the first
-- request is still being served. Keys older than a day are swept by the server.
CREATE TABLE idempotency_keys (
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key          text NOT NULL,
    request_hash bytea NOT NULL,
    status       integer,
    content_type text,
    location     text,
    body         bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
