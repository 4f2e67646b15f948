package imports

import (
	"encoding/json"
	"fmt"
	"time"
)

// Report is one import run as the imports table keeps it: what was asked, how far it got, and
// what happened to each row that did not simply land.
type Report struct {
	ID            int64   `json:"id"`
	FileName      string  `json:"file_name"`
	Format        string  `json:"format"`
	Kind          *string `json:"kind"`
	SourceCRS     *string `json:"source_crs"`
	Encoding      *string `json:"encoding"`
	DryRun        bool    `json:"dry_run"`
	Status        string  `json:"status"`
	Phase         string  `json:"phase"`
	RowsTotal     *int    `json:"rows_total"`
	RowsRead      int     `json:"rows_read"`
	RowsWritten   int     `json:"rows_written"`
	RowsInserted  int     `json:"rows_inserted"`
	RowsUpdated   int     `json:"rows_updated"`
	RowsUnchanged int     `json:"rows_unchanged"`
	RowsSkipped   int     `json:"rows_skipped"`
	RowsRejected  int     `json:"rows_rejected"`
	RowsRepaired  int     `json:"rows_repaired"`
	Issues        []Issue `json:"report"`
	// Fields maps each source field met to the asset field it fills ("" none, "-" ignored);
	// Preview holds the first rows. Both are in the answer of the run, not kept in the table.
	Fields     map[string]string `json:"fields,omitempty"`
	Preview    []PreviewRow      `json:"preview,omitempty"`
	Error      *string           `json:"error"`
	Options    json.RawMessage   `json:"options"`
	Actor      string            `json:"actor"`
	StartedAt  time.Time         `json:"started_at"`
	FinishedAt *time.Time        `json:"finished_at"`
}

// Issue is what happened to one row: rejected (with its reason), repaired, skipped, updated,
// or a warning.
type Issue struct {
	Row    int    `json:"row"`
	Layer  string `json:"layer,omitempty"`
	Code   string `json:"code,omitempty"`
	Action string `json:"action"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
}

// Issue actions.
const (
	ActionRejected = "rejected"
	ActionRepaired = "repaired"
	ActionSkipped  = "skipped"
	ActionUpdated  = "updated"
	ActionWarning  = "warning"
)

// Run statuses and phases, as the imports table's checks allow them.
const (
	StatusRunning = "running"
	StatusDone    = "done"
	StatusFailed  = "failed"

	PhaseQueued   = "queued"
	PhaseReading  = "reading"
	PhaseWriting  = "writing"
	PhaseFinished = "finished"
)

// maxIssues bounds the per-row report; counts stay exact beyond it.
const maxIssues = 10000

// Imported tells whether the run wrote (or, dry, would write) anything.
func (r Report) Imported() bool { return r.RowsWritten > 0 }

// Summary is the report in one line, for the command line and logs.
func (r Report) Summary() string {
	verb := "imported"
	if r.DryRun {
		verb = "would import"
	}
	s := fmt.Sprintf("import %d %s: %s %d of %d rows (%d new, %d updated, %d unchanged, %d skipped, %d rejected, %d repaired)",
		r.ID, r.Status, verb, r.RowsWritten, r.RowsRead, r.RowsInserted, r.RowsUpdated, r.RowsUnchanged, r.RowsSkipped, r.RowsRejected, r.RowsRepaired)
	if r.Error != nil {
		s += ": " + *r.Error
	}
	return s
}

// add records one issue, within the cap.
func (r *Report) add(i Issue) {
	if len(r.Issues) < maxIssues {
		r.Issues = append(r.Issues, i)
	}
}
