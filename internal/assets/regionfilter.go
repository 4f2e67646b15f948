package assets

import (
	"fmt"
	"strings"
)

// regions narrows to the assets within any of codes: a county's own code, and every county of a
// city or province named (by the prefix its counties' codes carry, so that the index on
// region_code still serves the common county filter).
func (b *sqlBuilder) regions(codes []string) {
	if len(codes) == 0 {
		return
	}
	conds := []string{"a.region_code = ANY(" + b.arg(codes) + ")"}
	byLength := map[int][]string{}
	for _, c := range codes {
		if p := regionPrefix(c); p != "" {
			byLength[len(p)] = append(byLength[len(p)], p)
		}
	}
	for _, n := range []int{2, 4} { // province, city: a fixed order keeps the SQL text stable
		if ps := byLength[n]; len(ps) > 0 {
			conds = append(conds, fmt.Sprintf("left(a.region_code, %d) = ANY(%s)", n, b.arg(ps)))
		}
	}
	b.where("(" + strings.Join(conds, " OR ") + ")")
}

// regionPrefix is the code prefix a province's or a city's counties carry ("" for a county).
func regionPrefix(code string) string {
	switch {
	case len(code) == 2 || len(code) == 4:
		return code
	case len(code) == 6 && strings.HasSuffix(code, "0000"):
		return code[:2]
	case len(code) == 6 && strings.HasSuffix(code, "00"):
		return code[:4]
	}
	return ""
}
