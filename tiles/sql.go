package tiles

import (
	"embed"
	"fmt"
	"slices"
	"strings"
)

//go:embed sql/*.sql
var sqlFS embed.FS

// ParcelMinZoom is the first zoom drawing land parcels as they are; below it land is the
// overview's grid cells. DetailMinZoom is the first giving parcels every property (below it they
// carry id, kind, stage, mode, land_status and area_mu). CellShift fixes the cells: level
// z+CellShift, 2^CellShift a tile side.
const (
	ParcelMinZoom = 14
	DetailMinZoom = 15 // as land_rows.sql has it
	CellShift     = 5
	// OverviewLevel is the finest cell level the overview keeps.
	OverviewLevel = ParcelMinZoom - 1 + CellShift
	// MinCellLevel is the coarsest (the cells of zoom 0 tiles).
	MinCellLevel = CellShift
)

// piece is one MVT layer's SQL: a scalar subquery yielding that layer's bytes (or several
// layers', for the small asset kinds).
type piece string

// The pieces, one embedded file each.
const (
	pieceLandCells piece = "land_cells"
	pieceLand      piece = "land"
	pieceOthers    piece = "others"
	pieceZone      piece = "zone"
	pieceRegion    piece = "region"
	// pieceAt draws every asset kind of a tile as it stood at a past time.
	pieceAt piece = "assets_at"
)

// statements holds the SQL of every tile statement, built once from the embedded pieces. A
// statement is the shared header (params.sql: parameter types; envelope.sql: the tile's square), then
// `SELECT piece || piece ...`: concatenated MVT layers are a valid tile. From ParcelMinZoom land
// is not a piece of the present's tiles: landRows (params.sql, then land_rows.sql) lists the
// parcels for Go to encode, landFiltered (then land_filters.sql) those a filter keeps. The texts
// are fixed, so pgx prepares each once per connection.
type statements struct {
	sql          map[string]string
	landRows     string
	landFiltered string
}

// loadSQL reads an embedded file.
func loadSQL(name string) (string, error) {
	b, err := sqlFS.ReadFile("sql/" + name + ".sql")
	if err != nil {
		return "", fmt.Errorf("tiles: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

func newStatements() (statements, error) {
	var params, envelope, rows, filters string
	for name, dst := range map[string]*string{"params": &params, "envelope": &envelope, "land_rows": &rows, "land_filters": &filters} {
		var err error
		if *dst, err = loadSQL(name); err != nil {
			return statements{}, err
		}
	}
	header := params + "\n" + envelope
	st := statements{sql: map[string]string{}, landRows: params + "\n" + rows}
	st.landFiltered = st.landRows + "\n" + filters
	var err error
	for _, l := range Layers() {
		for _, cells := range []bool{false, true} {
			ps := slices.DeleteFunc(pieces(l, cells), func(p piece) bool { return p == pieceLand })
			if len(ps) == 0 {
				continue // land from ParcelMinZoom: landRows alone
			}
			if st.sql[key(l, cells)], err = statement(header, ps); err != nil {
				return statements{}, err
			}
		}
		if st.sql[atKey(l)], err = statement(header, atPieces(l)); err != nil {
			return statements{}, err
		}
	}
	return st, nil
}

// statement joins the header and the pieces' SQL into one tile statement.
func statement(header string, ps []piece) (string, error) {
	body := make([]string, len(ps))
	for i, p := range ps {
		var err error
		if body[i], err = loadSQL(string(p)); err != nil {
			return "", err
		}
	}
	return header + "\nSELECT " + strings.Join(body, "\n || "), nil
}

// key names the statement of l's tiles, drawing land from the overview's cells or not (a lookup
// every tile: no formatting).
func key(l Layer, cells bool) string {
	if cells {
		return string(l) + "/cells"
	}
	return string(l) + "/now"
}

func atKey(l Layer) string { return string(l) + "/at" }

// atPieces lists what a tile of l at a past time is made of: its asset kinds drawn by one
// piece at every zoom (the overview knows only the present), then zones and regions as today.
func atPieces(l Layer) []piece {
	var out []piece
	for _, p := range pieces(l, false) {
		switch p {
		case pieceLand, pieceOthers:
			if !slices.Contains(out, pieceAt) {
				out = append(out, pieceAt)
			}
		default:
			out = append(out, p)
		}
	}
	return out
}

// pieces lists what a tile of l is made of; cells says land is drawn from the overview. Land
// parcels (pieceLand) have no SQL piece: landRows draws them, or pieceAt at a past time.
func pieces(l Layer, cells bool) []piece {
	var out []piece
	others := false
	for _, p := range Parts(l) {
		switch {
		case p == Land && cells:
			out = append(out, pieceLandCells)
		case p == Land:
			out = append(out, pieceLand)
		case isSmallAsset(p) && !others:
			out, others = append(out, pieceOthers), true
		case p == Zone:
			out = append(out, pieceZone)
		case p == Region:
			out = append(out, pieceRegion)
		}
	}
	return out
}

// land returns the statement listing a tile's land parcels under f.
func (s statements) land(f Filter) string {
	if f.IsZero() {
		return s.landRows
	}
	return s.landFiltered
}

// query returns the statement for a tile of l at zoom z (empty for land parcels alone) and its
// arguments; a tile at a past time takes that time as $13 and every asset kind of l as $8.
func (s statements) query(l Layer, t TileID, f Filter) (string, []any) {
	var kinds []string
	for _, p := range Parts(l) {
		if isSmallAsset(p) || (p == Land && f.At != nil) {
			kinds = append(kinds, string(p))
		}
	}
	args := append([]any{t.Z, t.X, t.Y}, f.args()...)
	args = append(args, orNull(kinds))
	args = append(args, f.landArgs()...)
	if f.At != nil {
		return s.sql[atKey(l)], append(args, *f.At)
	}
	return s.sql[key(l, t.Z < ParcelMinZoom)], args
}
