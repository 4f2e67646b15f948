package imports

import (
	"maps"
	"slices"
)

// previewRows is how many source rows a report shows as they were read and mapped.
const previewRows = 10

// PreviewRow is one source row as read and as mapped: the UI shows the first rows of a dry run
// with the field mapping before the analyst commits.
type PreviewRow struct {
	Row   int               `json:"row"`
	Layer string            `json:"layer,omitempty"`
	Attrs map[string]string `json:"attrs"`
	Kind  string            `json:"kind,omitempty"`
	Code  string            `json:"code,omitempty"`
	Name  string            `json:"name,omitempty"`
}

// notePreview keeps the first rows of the run, and the target of every field met so far:
// "" for a field no mapping names, "-" for one ignored on purpose.
func (j *job) notePreview(r Record, layer string, m mapped) {
	if j.rep.Fields == nil {
		j.rep.Fields = map[string]string{}
	}
	for _, f := range slices.Sorted(maps.Keys(r.Attrs)) {
		if _, ok := j.rep.Fields[f]; !ok {
			j.rep.Fields[f] = j.mapper.target(f)
		}
	}
	if len(j.rep.Preview) >= previewRows {
		return
	}
	j.rep.Preview = append(j.rep.Preview, PreviewRow{
		Row: r.Row, Layer: layer, Attrs: r.Attrs,
		Kind: string(m.asset.Kind), Code: m.asset.Code, Name: m.asset.Name,
	})
}
