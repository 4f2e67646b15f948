package assets

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/ewkb"

	"github.com/onemap/onemap/internal/problem"
)

// WithOverlapTolerance sets how many square metres a land parcel drawn or reshaped by hand may
// overlap live parcels before the edit needs a reason (at wiring, before serving). It returns s.
func (s *Service) WithOverlapTolerance(m2 float64) *Service {
	s.overlapM2 = m2
	return s
}

// CheckTopology tells what outline g (EPSG:4490) of an asset of kind k would do to the live land
// parcels, leaving out except (the parcel being reshaped, or those a split or merge replaces):
// the UI's preview before saving. Only land is checked; other kinds get an empty Topology.
func (s *Service) CheckTopology(ctx context.Context, k Kind, g orb.Geometry, except []int64) (Topology, error) {
	if !ValidKind(string(k)) {
		return Topology{}, problem.Unprocessable("kind", "%q is not an asset kind", k)
	}
	if g == nil {
		return Topology{}, problem.Unprocessable("geometry", "is required")
	}
	if k != Land {
		return classify(nil, s.overlapM2), nil
	}
	ns, err := neighbours(ctx, s.pool, g, except, len(except) == 0)
	if err != nil {
		return Topology{}, err
	}
	return classify(ns, s.overlapM2), nil
}

// checkOverlaps is CheckTopology inside a write: it refuses (OverlapError) a land parcel
// overlapping live parcels beyond the tolerance unless reason is given. Other kinds pass with an
// empty Topology. fresh says asset except[0] was just created (it had no outline before).
func (s *Service) checkOverlaps(ctx context.Context, tx pgx.Tx, k Kind, g orb.Geometry, except []int64, fresh bool, reason string) (Topology, error) {
	if k != Land {
		return classify(nil, s.overlapM2), nil
	}
	ns, err := neighbours(ctx, tx, g, except, fresh)
	if err != nil {
		return Topology{}, err
	}
	t := classify(ns, s.overlapM2)
	if len(t.Overlaps) > 0 && strings.TrimSpace(reason) == "" {
		return t, newOverlapError(t.Overlaps, s.overlapM2)
	}
	return t, nil
}

// geomEdit is a change's new outline, checked and ready to store.
type geomEdit struct {
	ewkb       []byte          // the outline as stored (a polygon as a MultiPolygon)
	oldOutline json.RawMessage // the stored outline, GeoJSON: the event's before
	topology   *Topology       // land only
	extra      json.RawMessage // merged into the event's after: the overlap confirmation
}

// prepareGeom checks asset id's new outline: valid or repaired as imports repair, inside the
// actor's region (an analyst cannot move a parcel out of their region: the asset's current
// region was checked by lockAsset, so neither into theirs from another), and no overlap beyond
// the tolerance without a reason.
func (s *Service) prepareGeom(ctx context.Context, tx pgx.Tx, id int64, k Kind, actor Actor, ch Change) (*geomEdit, error) {
	g := ch.Geometry
	p, err := placeGeom(ctx, tx, k, &g)
	if err != nil {
		return nil, err
	}
	if actor.scope(p.region) != nil {
		return nil, problem.Forbidden("the new outline lies outside your region %s", *actor.Region)
	}
	t, err := s.checkOverlaps(ctx, tx, k, g, []int64{id}, false, ch.OverlapReason)
	if err != nil {
		return nil, err
	}
	ge := &geomEdit{extra: json.RawMessage(`{}`)}
	if k == Land {
		ge.topology = &t
	}
	if len(t.Overlaps) > 0 {
		if ge.extra, err = json.Marshal(map[string]any{"overlap_reason": ch.OverlapReason, "overlaps": t.Overlaps}); err != nil {
			return nil, fmt.Errorf("assets: overlap note: %w", err)
		}
	}
	if ge.ewkb, err = storedWKB(g); err != nil {
		return nil, err
	}
	ge.oldOutline, err = outline(ctx, tx, id)
	return ge, err
}

// storedWKB encodes g as the geometry column holds it: MultiPolygon or Point.
func storedWKB(g orb.Geometry) ([]byte, error) {
	if p, ok := g.(orb.Polygon); ok {
		g = orb.MultiPolygon{p}
	}
	b, err := ewkb.Marshal(g, 0)
	if err != nil {
		return nil, problem.Unprocessable("geometry", "cannot be encoded: %v", err)
	}
	return b, nil
}

// checkNew checks a new asset's outline against the live land parcels, once its code is known
// to be free (a taken code is a 409 before any overlap with the asset holding it is a 422).
func (s *Service) checkNew(ctx context.Context, tx pgx.Tx, a NewAsset) (Topology, error) {
	if err := codeFree(ctx, tx, a.Kind, a.Code); err != nil {
		return Topology{}, err
	}
	return s.checkOverlaps(ctx, tx, a.Kind, a.Geometry, nil, true, a.OverlapReason)
}

// overlapNote is a new asset's event note with the editor's overlap confirmation, if any.
func overlapNote(note string, t Topology, reason string) string {
	if len(t.Overlaps) == 0 {
		return note
	}
	codes := make([]string, len(t.Overlaps))
	for i, o := range t.Overlaps {
		codes[i] = fmt.Sprintf("%s %.1f m²", o.Code, o.OverlapM2)
	}
	return strings.TrimSpace(note + " [重叠确认: " + reason + "; " + strings.Join(codes, ", ") + "]")
}
