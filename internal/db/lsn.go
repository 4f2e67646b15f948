package db

import (
	"context"
	"fmt"
)

// LSN is a position in PostgreSQL's write-ahead log, counted in bytes: what a streaming replica
// has replayed (pg_last_wal_replay_lsn) is compared with where the primary was after a write
// (pg_current_wal_lsn). Queries read it as `(lsn - '0/0')::bigint`.
type LSN uint64

// String writes the LSN as PostgreSQL does (16/B374D848).
func (l LSN) String() string { return fmt.Sprintf("%X/%X", uint64(l)>>32, uint32(l)) }

// readKey marks a context whose reads a replica may answer.
type readKey struct{}

// ReplicaRead marks ctx as a read that a streaming replica may answer once it has replayed the
// write-ahead log up to at least lsn (0: any replica in service). Reads without the mark, writes
// and the reads a write does first among them, go to the primary.
func ReplicaRead(ctx context.Context, lsn LSN) context.Context {
	return context.WithValue(ctx, readKey{}, lsn)
}

// ReplicaNeed tells whether ctx may be read from a replica and from which LSN on.
func ReplicaNeed(ctx context.Context) (LSN, bool) {
	lsn, ok := ctx.Value(readKey{}).(LSN)
	return lsn, ok
}

// AtLeast raises the LSN a replica read under ctx needs to lsn; a context not marked by
// ReplicaRead stays as it is (its reads go to the primary anyway).
func AtLeast(ctx context.Context, lsn LSN) context.Context {
	if need, ok := ReplicaNeed(ctx); ok && need < lsn {
		return ReplicaRead(ctx, lsn)
	}
	return ctx
}
