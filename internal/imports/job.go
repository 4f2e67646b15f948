package imports

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cespare/xxhash/v2"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/geo"
	"github.com/onemap/onemap/internal/problem"
)

// read sends the source's records in batches.
func (j *job) read(ctx context.Context, out chan<- []Record) error {
	defer close(out)
	batch := make([]Record, 0, batchSize)
	send := func() error {
		select {
		case out <- batch:
			batch = make([]Record, 0, batchSize)
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	err := j.src.Each(ctx, func(r Record) error {
		if err := j.s.limits.CheckRows(r.Row); err != nil {
			return err
		}
		batch = append(batch, r)
		if len(batch) == batchSize {
			return send()
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = send()
	}
	return err
}

// check turns one record into an asset, or rejects it in the report.
func (j *job) check(r Record, g prepared) (mapped, bool) {
	layer := j.src.Layers[r.Layer].Name
	if r.Problem != "" {
		j.reject(r, layer, "", "geometry", r.Problem)
		return mapped{}, false
	}
	if field, reason := badText(r.Attrs); reason != "" {
		j.reject(r, layer, "", field, reason)
		return mapped{}, false
	}
	m := j.mapper.asset(r, layer)
	j.notePreview(r, layer, m)
	a := &m.asset
	if m.fieldProblem != nil {
		j.reject(r, layer, a.Code, m.fieldProblem.Params[0].Name, m.fieldProblem.Params[0].Reason)
		return m, false
	}
	if g.wkb == nil {
		j.reject(r, layer, a.Code, "geometry", fmt.Sprintf("a %s holds no polygon or single point", strings.ToLower(g.typ)))
		return m, false
	}
	geom, err := wkb.Unmarshal(g.wkb)
	if err != nil {
		j.reject(r, layer, a.Code, "geometry", err.Error())
		return m, false
	}
	a.Geometry, a.SourceCRS = geom, j.crs[r.Layer].Label()
	if k, ok := j.kept[keptKey(a.Kind, a.Code)]; ok && r.CentreOnly {
		a.Geometry, a.SourceCRS = k.geom, k.crs
	}
	if reason := j.checkAsset(a); reason != nil {
		j.reject(r, layer, a.Code, reason.Params[0].Name, reason.Params[0].Reason)
		return m, false
	}
	if field, reason := j.outOfScope(a, g.region); reason != "" {
		j.reject(r, layer, a.Code, field, reason)
		return m, false
	}
	key := codeKey(a.Kind, a.Code)
	if first, dup := j.seen[key]; dup {
		j.reject(r, layer, a.Code, "code", fmt.Sprintf("repeats row %d's code", first))
		return m, false
	}
	j.seen[key] = int32(r.Row)
	j.noteGeometry(r, layer, a.Code, g, m.declaredM2)
	return m, true
}

// codeKey is what seen keeps of a kind and code: their 64-bit hash, a few bytes a row where the
// strings took a hundred (two codes colliding has odds of about 1 in 10^7 at 2 million rows).
func codeKey(k assets.Kind, code string) uint64 {
	return xxhash.Sum64String(string(k) + "\x00" + code)
}

// checkAsset validates a mapped asset, including the region and zone codes it names.
func (j *job) checkAsset(a *assets.NewAsset) *problem.Error {
	var pe *problem.Error
	if err := a.Validate(); errors.As(err, &pe) {
		return pe
	} else if err != nil {
		return problem.Unprocessable("row", "%v", err)
	}
	if a.RegionCode != "" && !j.regions[a.RegionCode] {
		return problem.Unprocessable("region_code", "%q is not a known region", a.RegionCode)
	}
	if a.ZoneCode != "" && !j.zones[a.ZoneCode] {
		return problem.Unprocessable("zone_code", "%q is not a known zone", a.ZoneCode)
	}
	return nil
}

// noteGeometry reports a repaired geometry and a declared area the geometry does not bear out.
func (j *job) noteGeometry(r Record, layer, code string, g prepared, declaredM2 float64) {
	if !g.valid {
		j.rep.RowsRepaired++
		j.rep.add(Issue{Row: r.Row, Layer: layer, Code: code, Action: ActionRepaired, Field: "geometry", Reason: "made valid: " + g.reason})
	}
	if declaredM2 > 0 && g.areaM2 > 0 {
		if d := 100 * math.Abs(g.areaM2-declaredM2) / declaredM2; d > declaredAreaWarnPct {
			j.rep.add(Issue{
				Row: r.Row, Layer: layer, Code: code, Action: ActionWarning, Field: "area",
				Reason: fmt.Sprintf("declared %.2f m², geometry holds %.2f m² (%.1f %% apart)", declaredM2, g.areaM2, d),
			})
		}
	}
}

func (j *job) reject(r Record, layer, code, field, reason string) {
	j.rep.RowsRejected++
	j.rep.add(Issue{Row: r.Row, Layer: layer, Code: code, Action: ActionRejected, Field: field, Reason: reason})
}

// tally counts a write's outcome and names the rows it skipped or updated.
func (j *job) tally(list []assets.NewAsset, res assets.WriteResult) {
	j.rep.RowsInserted += int(res.Inserted)
	j.rep.RowsUpdated += len(res.Updated)
	j.rep.RowsUnchanged += len(res.Unchanged)
	j.rep.RowsSkipped += len(res.Skipped)
	j.rep.RowsWritten = j.rep.RowsInserted + j.rep.RowsUpdated
	kinds := map[string]assets.Kind{}
	for _, a := range list {
		kinds[a.Code] = a.Kind
	}
	note := func(codes []string, action, reason string) {
		for _, c := range codes {
			row := int(j.seen[codeKey(kinds[c], c)])
			j.rep.add(Issue{Row: row, Code: c, Action: action, Reason: reason})
		}
	}
	note(res.Skipped, ActionSkipped, "an asset of this kind already has this code")
	note(res.Updated, ActionUpdated, "existing asset updated")
}

// progress saves and announces the run's state, at most every progressEvery unless forced.
func (j *job) progress(ctx context.Context, phase string, force bool) {
	j.rep.Phase = phase
	if !force && time.Since(j.flushed) < progressEvery {
		return
	}
	j.flushed = time.Now()
	if err := save(ctx, j.s.pool, &j.rep); err != nil && ctx.Err() == nil {
		j.s.log("imports: progress", "id", j.rep.ID, "err", err)
	}
	if j.opts.Progress != nil {
		j.opts.Progress(j.rep)
	}
}

// crsLabels names the source CRSs for the run's record.
func crsLabels(list []geo.CRS) string {
	var out []string
	for _, c := range list {
		if l := c.Label(); !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return strings.Join(out, ",")
}

// badText names a field whose text cannot be stored (not UTF-8 after decoding, or holding a NUL
// character) and says why, or returns "" when every field is fine. Text that is not UTF-8 means
// the file's encoding was misjudged (a .cpg saying UTF-8 beside a GBK DBF): the reason says how
// to import it.
func badText(attrs map[string]string) (field, reason string) {
	for k, v := range attrs {
		r := ""
		switch {
		case !utf8.ValidString(v):
			r = "is not valid text in the file's encoding: give the encoding (e.g. encoding=GBK)"
		case strings.IndexByte(v, 0) >= 0:
			r = "holds a NUL character"
		}
		if r != "" && (reason == "" || k < field) { // the first field by name: the same every run
			field, reason = k, r
		}
	}
	return field, reason
}
