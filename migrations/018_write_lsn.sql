-- Read replicas (issue 14): where the primary's write-ahead log stood after the last write made
-- with a token or sign-in session, so that the same user's next reads, on any server instance, go
-- to a replica only once it has replayed that far (else to the primary). NULL: no write yet.
ALTER TABLE tokens ADD COLUMN write_lsn pg_lsn;
