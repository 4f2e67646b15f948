// Package audit is OneMap's audit trail (强制留痕): sign-ins, lockouts, exports, imports and
// changes of users, roles and tokens, appended to audit_log. Rows are append-only (a trigger
// refuses UPDATE, DELETE and TRUNCATE) and each carries a SHA-256 of the previous row's hash and
// its own content, so Verify finds a row changed or deleted behind the application's back. Rows
// are kept at least 180 days: Prune refuses anything younger.
package audit

import (
	"time"
)

// Actions recorded; the detail of each is documented beside the code that records it.
const (
	LoginOK        = "login.ok"
	LoginFailed    = "login.failed"
	LoginLocked    = "login.locked"
	LoginUnlocked  = "login.unlocked"
	LoginThrottled = "login.throttled"
	Logout         = "logout"
	TokenIssue     = "token.issue"
	TokenRevoke    = "token.revoke"
	UserCreate     = "user.create"
	UserUpdate     = "user.update"
	UserDisable    = "user.disable"
	UserEnable     = "user.enable"
	UserPassword   = "user.password"
	Export         = "export"
	Import         = "import"
	AuditExport    = "audit.export"
	AuditPrune     = "audit.prune"
	// AttachmentAdd and AttachmentDelete record a file added to or deleted from an asset or project.
	AttachmentAdd    = "attachment.add"
	AttachmentDelete = "attachment.delete"
	// LeaseAdd and LeaseDelete record a lease term (出租, 特许经营) of an asset added or deleted.
	LeaseAdd    = "lease.add"
	LeaseDelete = "lease.delete"
	// Print records a 专题图 printed (POST /api/v1/print): title, paper, result rows, sizes.
	Print = "print"
)

// MinRetention is how long every row is kept at least.
const MinRetention = 180 * 24 * time.Hour

// Entry is one audited event as the caller describes it.
type Entry struct {
	Actor  string         // user name of who acted ("" when unknown, e.g. a failed sign-in)
	UserID *int64         // the acting user's id when known
	Action string         // one of the constants above
	Target string         // what was acted on, e.g. "user:42" or an export format
	Detail map[string]any // anything else worth keeping, stored as jsonb
	IP     string         // the client address
}

// Row is a stored entry.
type Row struct {
	ID     int64          `json:"id"`
	At     time.Time      `json:"at"`
	Actor  string         `json:"actor"`
	UserID *int64         `json:"user_id"`
	Action string         `json:"action"`
	Target string         `json:"target"`
	Detail map[string]any `json:"detail"`
	IP     string         `json:"ip"`
}
