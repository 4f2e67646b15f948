package assets

import (
	"fmt"
	"math"
)

// Numeric ranges of what the register stores. Money columns are numeric(16, 2) in 万元
// (migrations/001_init.sql): below 10^14. Facts live in jsonb, which stores any number, but a
// float64 is exact only up to 2^53, so fact numbers stop at 10^15 and whole-number facts at
// 32-bit range (floors, years).
const (
	maxMoney    = 1e14
	maxFact     = 1e15
	maxFactInt  = math.MaxInt32
	maxFactText = 10000
)

// checkNumber says why v is no value of type typ ("money", "share", "fact_number",
// "fact_int"), or "" when it is one.
func checkNumber(typ string, v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "must be a finite number"
	}
	switch typ {
	case "money":
		if v < 0 || v >= maxMoney-0.005 { // rounds to 10^14 in numeric(16, 2)
			return "must lie in " + rangeText(typ)
		}
	case "share":
		if v < 0 || v > 1 {
			return "must lie in " + rangeText(typ)
		}
	case "fact_int":
		if v != math.Trunc(v) {
			return "must be a whole number"
		}
		if math.Abs(v) > maxFactInt {
			return "must lie in " + rangeText(typ)
		}
	default:
		if math.Abs(v) >= maxFact {
			return "must lie in " + rangeText(typ)
		}
	}
	return ""
}

// rangeText names the range of type typ for the user.
func rangeText(typ string) string {
	switch typ {
	case "money":
		return "0..99999999999999.99 (万元)"
	case "share":
		return "0..1"
	case "fact_int":
		return fmt.Sprintf("-%d..%d", maxFactInt, maxFactInt)
	}
	return fmt.Sprintf("±%g", maxFact)
}
