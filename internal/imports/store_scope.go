package imports

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/assets"
)

// A region-scoped analyst's run writes only assets lying in their region: a row whose geometry
// falls elsewhere, that names another region, or whose code is that of an asset lying elsewhere
// (which an update would take over) is rejected with the reason, and the rest is imported.

// outOfScope says why a row may not be written by a scoped run (field and reason), or "".
func (j *job) outOfScope(a *assets.NewAsset, region *string) (field, reason string) {
	scope := j.opts.Region
	switch {
	case scope == "":
		return "", ""
	case a.RegionCode != "" && !assets.RegionWithin(a.RegionCode, scope):
		return "region_code", fmt.Sprintf("region %s is outside your region %s", a.RegionCode, scope)
	case region == nil:
		return "geometry", fmt.Sprintf("lies outside every region, so outside your region %s", scope)
	case !assets.RegionWithin(*region, scope):
		return "geometry", fmt.Sprintf("lies in region %s, outside your region %s", *region, scope)
	}
	return "", ""
}

const elsewhereCodes = `
SELECT a.kind, a.code, coalesce(a.region_code, '') FROM assets a
JOIN unnest($1::text[], $2::text[]) AS n(kind, code) ON a.kind = n.kind AND a.code = n.code
WHERE a.deleted_at IS NULL AND NOT coalesce(region_within(a.region_code, $3), false)`

// keepOwnCodes drops (and rejects in the report) the rows of a scoped run whose kind and code
// belong to a live asset lying outside the run's region.
func (j *job) keepOwnCodes(ctx context.Context, tx pgx.Tx, list []assets.NewAsset) ([]assets.NewAsset, error) {
	if j.opts.Region == "" || len(list) == 0 {
		return list, nil
	}
	kinds, codes := make([]string, len(list)), make([]string, len(list))
	for i, a := range list {
		kinds[i], codes[i] = string(a.Kind), a.Code
	}
	rows, err := tx.Query(ctx, elsewhereCodes, kinds, codes, j.opts.Region)
	if err != nil {
		return nil, fmt.Errorf("imports: region scope: %w", err)
	}
	elsewhere, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([3]string, error) {
		var k [3]string
		err := r.Scan(&k[0], &k[1], &k[2])
		return k, err
	})
	if err != nil {
		return nil, fmt.Errorf("imports: region scope: %w", err)
	}
	return j.dropElsewhere(list, elsewhere), nil
}

// dropElsewhere rejects the rows whose kind and code are among elsewhere (kind, code, region).
func (j *job) dropElsewhere(list []assets.NewAsset, elsewhere [][3]string) []assets.NewAsset {
	if len(elsewhere) == 0 {
		return list
	}
	region := map[string]string{}
	for _, e := range elsewhere {
		region[e[0]+"\x00"+e[1]] = e[2]
	}
	kept := list[:0]
	for _, a := range list {
		key := string(a.Kind) + "\x00" + a.Code
		if r, ok := region[key]; ok {
			j.rep.RowsRejected++
			j.rep.add(Issue{
				Row: int(j.seen[codeKey(a.Kind, a.Code)]), Code: a.Code, Action: ActionRejected, Field: "code",
				Reason: fmt.Sprintf("an asset with this code lies in region %s, outside your region %s", r, j.opts.Region),
			})
			continue
		}
		kept = append(kept, a)
	}
	return kept
}
