// Package idempotency keeps the first answer to a user's request under an Idempotency-Key, so
// that a retry (after a timeout, a dropped connection) gets that answer again instead of doing
// the work twice. Keys are per user and kept for a day (table idempotency_keys).
package idempotency
