package tiles

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/jackc/pgx/v5"
)

// The land layer's properties from ParcelMinZoom: id, kind (the layer's own), then the columns
// of land_rows.sql after id in their order (column c is key c+1). Below DetailMinZoom only the
// lean ones (to area_mu) have values.
var parcelKeys = []string{"id", "kind", "stage", "mode", "land_status", "area_mu",
	"code", "name", "land_class_code", "region_code", "zone_code", "holder"}

// Column positions in land_rows.sql.
const (
	colID   = 0
	colArea = 4
	colCode = 5
	colName = 6
	colLast = 10 // holder
	colWKB  = 11
)

var landKind = []byte(Land)

// Parcel budgets: so that no tile outgrows ~500 kB, a tile keeps at most this many parcels, the
// largest (the others appear one zoom in).
const (
	maxLeanParcels = 10_000
	maxFullParcels = 4_000
)

// parcelEncoder turns land_rows.sql's rows into the land layer as they arrive. Encoders are
// pooled: their buffers, grown by busy tiles, serve the next ones, so that a tile costs the
// garbage collector next to nothing.
type parcelEncoder struct {
	layer *mvtLayer
	geom  polygons
	spans [][2]int  // each feature's bytes in layer.features
	areas []float64 // and its area, to drop the smallest past the budget
}

var encoders = sync.Pool{New: func() any {
	return &parcelEncoder{layer: newMVTLayer(string(Land), parcelKeys)}
}}

// landLayer encodes the rows of land_rows.sql as the land layer of tile t.
func landLayer(rows pgx.Rows, t TileID) ([]byte, error) {
	defer rows.Close()
	e := encoders.Get().(*parcelEncoder)
	defer encoders.Put(e)
	e.layer.reset()
	e.geom.g = newGrid(t)
	e.spans, e.areas = e.spans[:0], e.areas[:0]
	for rows.Next() {
		if err := e.add(rows.RawValues()); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	limit := maxLeanParcels
	if t.Z >= DetailMinZoom {
		limit = maxFullParcels
	}
	e.trim(limit)
	return e.layer.bytes(), nil
}

// add encodes one row (values in the binary format); a parcel that snaps to nothing is left out.
func (e *parcelEncoder) add(vals [][]byte) error {
	if len(vals) != colWKB+1 || len(vals[colID]) != 8 || len(vals[colArea]) != 8 {
		return fmt.Errorf("tiles: unexpected land row (%d columns)", len(vals))
	}
	cmds, err := e.geom.encode(vals[colWKB])
	if err != nil || len(cmds) == 0 {
		return err
	}
	id := binary.BigEndian.Uint64(vals[colID])
	area := math.Float64frombits(binary.BigEndian.Uint64(vals[colArea]))
	l := e.layer
	start := len(l.features)
	l.begin()
	l.unique(0, id)
	l.str(1, landKind)
	for col := colID + 1; col <= colLast; col++ {
		switch v := vals[col]; {
		case col == colArea:
			l.num(col+1, area)
		case v == nil:
		case col == colCode || col == colName:
			l.distinct(col+1, v)
		default:
			l.str(col+1, v)
		}
	}
	l.end(id, cmds)
	e.spans = append(e.spans, [2]int{start, len(l.features)})
	e.areas = append(e.areas, area)
	return nil
}

// trim keeps the limit largest parcels when there are more, in the order they came.
func (e *parcelEncoder) trim(limit int) {
	if len(e.spans) <= limit {
		return
	}
	order := make([]int, len(e.spans))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(e.areas[b], e.areas[a]) })
	order = order[:limit]
	slices.Sort(order)
	kept := make([][2]int, len(order))
	for i, j := range order {
		kept[i] = e.spans[j]
	}
	e.layer.keep(kept)
}
