-- Import runs report their progress while they run (phase and counts, read by
-- GET /api/v1/imports/{id}) and keep what they were asked to do.
ALTER TABLE imports
    ADD COLUMN phase         text NOT NULL DEFAULT 'queued'
                             CHECK (phase IN ('queued', 'reading', 'writing', 'finished')),
    ADD COLUMN rows_total    integer,
    ADD COLUMN rows_inserted integer NOT NULL DEFAULT 0,
    ADD COLUMN rows_updated  integer NOT NULL DEFAULT 0,
    ADD COLUMN rows_unchanged integer NOT NULL DEFAULT 0,
    ADD COLUMN rows_skipped  integer NOT NULL DEFAULT 0,
    ADD COLUMN rows_repaired integer NOT NULL DEFAULT 0,
    ADD COLUMN options       jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN actor         text NOT NULL DEFAULT '';
CREATE INDEX imports_started_idx ON imports (started_at DESC);
