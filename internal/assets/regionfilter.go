package assets

import "strings"

// regions narrows to the assets within any of codes: a county's own code, and every county of a
// city or province named (by the prefix its counties' codes carry, so that the index on
// region_code still serves the common county filter).
func (b *sqlBuilder) regions(codes []string) {
	if len(codes) == 0 {
		return
	}
	var exact, prefixes []string
	for _, c := range codes {
		exact = append(exact, c)
		if p := regionPrefix(c); p != "" {
			prefixes = append(prefixes, p)
		}
	}
	cond := "a.region_code = ANY(" + b.arg(exact) + ")"
	if len(prefixes) > 0 {
		cond = "(" + cond + " OR left(a.region_code, " + b.arg(len(prefixes[0])) + ") = ANY(" + b.arg(prefixes) + "))"
		if !samePrefixLength(prefixes) {
			cond = "(a.region_code = ANY(" + b.arg(exact) + ") OR EXISTS (SELECT 1 FROM unnest(" + b.arg(codes) +
				"::text[]) s WHERE region_within(a.region_code, s)))"
		}
	}
	b.where(cond)
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

func samePrefixLength(ps []string) bool {
	for _, p := range ps {
		if len(p) != len(ps[0]) {
			return false
		}
	}
	return true
}
