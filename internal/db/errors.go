package db

import (
	"errors"
	"net/http"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/onemap/onemap/internal/problem"
)

// UserProblem maps a PostgreSQL error that a request's data caused (a number out of range, a
// duplicate, a bad reference, text PostgreSQL cannot store, a geometry GEOS cannot process) to a
// problem in the user's terms; nil for any other error. The server's own message, constraint
// names included, is for the log only.
func UserProblem(err error) *problem.Error {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		return nil
	}
	field := columnOf(pg)
	switch pg.Code {
	case "22003":
		return problem.Unprocessable(field, "is a number out of the range OneMap stores")
	case "23505":
		return &problem.Error{Status: http.StatusConflict, Title: "Conflict", Detail: "an entry with the same key exists already"}
	case "23503":
		return problem.Unprocessable(field, "refers to something that does not exist")
	case "23502":
		return problem.Unprocessable(field, "is required")
	case "23514":
		return problem.Unprocessable(field, "breaks a rule of the register")
	case "22P02", "22007", "22008", "22023":
		return problem.Unprocessable(field, "is not in the form expected")
	case "22021", "22P05", "54000":
		return problem.Invalid(field, "cannot be stored as text")
	case "XX000":
		return problem.Unprocessable("geometry", "cannot be processed: send a valid polygon in EPSG:4490 lon/lat")
	}
	return nil
}

// columnOf names the input a constraint or column error is about, "value" when unknown:
// PostgreSQL names column checks and keys <table>_<column>_check, _fkey or _key.
func columnOf(pg *pgconn.PgError) string {
	if pg.ColumnName != "" {
		return pg.ColumnName
	}
	name := pg.ConstraintName
	if i := strings.Index(name, "_"); i > 0 {
		name = name[i+1:]
	}
	for _, suffix := range []string{"_check", "_fkey", "_key"} {
		if i := strings.LastIndex(name, suffix); i > 0 {
			return strings.TrimRight(name[:i], "0123456789_")
		}
	}
	return "value"
}
