package assets

// Type names the JSON type of a kind-specific fact: "string", "number", "int", "date" or "bool".
func (ft factType) Type() string { return ft.typ }

// Values lists the strings an enumerated fact accepts (nil when any string goes).
func (ft factType) Values() []string { return ft.values }
