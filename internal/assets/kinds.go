// Package assets is OneMap's domain: the five kinds of spatial asset, their ledger fields and
// disposal status, validation, the idle-land rules, and the Service that reads and writes them.
package assets

import "slices"

// Kind is one of the five asset kinds.
type Kind string

// The asset kinds; the same words are tile layer names and API values.
const (
	Land     Kind = "land"
	Mine     Kind = "mine"
	Forest   Kind = "forest"
	Water    Kind = "water"
	Building Kind = "building"
)

// Kinds lists every kind in display order.
var Kinds = []Kind{Land, Mine, Forest, Water, Building}

// Stages lists the disposal stages: 未盘活, 拟盘活, 盘活中, 已盘活.
var Stages = []string{"idle", "planned", "in_progress", "done"}

// Modes lists the disposal modes: 用, 售, 租, 融, 未定.
var Modes = []string{"use", "sell", "lease", "finance", "undecided"}

// LandStatuses lists the land statuses: 批而未供, 闲置, 低效, 储备, 在用.
var LandStatuses = []string{"approved_unsupplied", "idle", "inefficient", "reserve", "in_use"}

// ValidKind reports whether s names a kind.
func ValidKind(s string) bool { return slices.Contains(Kinds, Kind(s)) }

// ValidStage reports whether s names a stage.
func ValidStage(s string) bool { return slices.Contains(Stages, s) }

// ValidMode reports whether s names a mode.
func ValidMode(s string) bool { return slices.Contains(Modes, s) }

// ValidLandStatus reports whether s names a land status.
func ValidLandStatus(s string) bool { return slices.Contains(LandStatuses, s) }

// KindLabels, StageLabels, ModeLabels and LandStatusLabels give each word's Chinese label.
var (
	KindLabels       = map[string]string{"land": "土地", "mine": "矿产", "forest": "林场", "water": "水域", "building": "闲置房产"}
	StageLabels      = map[string]string{"idle": "未盘活", "planned": "拟盘活", "in_progress": "盘活中", "done": "已盘活"}
	ModeLabels       = map[string]string{"use": "用", "sell": "售", "lease": "租", "finance": "融", "undecided": "未定"}
	LandStatusLabels = map[string]string{
		"approved_unsupplied": "批而未供", "idle": "闲置", "inefficient": "低效", "reserve": "储备", "in_use": "在用",
	}
)
