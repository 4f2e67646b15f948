package assets

// FactType tells how kind's fact key is typed ("string", "number", "int" or "date") and whether
// the kind has that fact at all; importers use it to turn text cells into fact values.
func FactType(kind Kind, key string) (string, bool) {
	ft, ok := FactSchemas[kind][key]
	return ft.typ, ok
}

// FactKeys lists kind's fact keys.
func FactKeys(kind Kind) []string {
	keys := make([]string, 0, len(FactSchemas[kind]))
	for k := range FactSchemas[kind] {
		keys = append(keys, k)
	}
	return keys
}
