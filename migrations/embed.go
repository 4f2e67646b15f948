// Package migrations holds OneMap's numbered SQL migrations, forward only, embedded in the binary.
package migrations

import "embed"

// FS holds every NNN_name.sql file; internal/db applies them in order with tern.
//
//go:embed *.sql
var FS embed.FS
