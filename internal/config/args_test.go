package config

import (
	"slices"
	"testing"
)

func TestLoadPassesSubcommandFlagsThrough(t *testing.T) {
	env := func(string) string { return "" }
	tests := []struct {
		args     []string
		db       string
		leftover []string
	}{
		{[]string{"--parcels", "1000", "-db", "postgres://x"}, "postgres://x", []string{"--parcels", "1000"}},
		{[]string{"-db=postgres://y", "--if-empty", "file.zip"}, "postgres://y", []string{"--if-empty", "file.zip"}},
		{[]string{"--seed=7", "--", "-db", "z"}, "", []string{"--seed=7", "-db", "z"}},
		{[]string{"-db", "postgres://z"}, "postgres://z", nil},
	}
	for _, tt := range tests {
		cfg, fs, err := Load("onemap demo", tt.args, env, nil)
		if err != nil {
			t.Fatalf("Load(%q): %v", tt.args, err)
		}
		if cfg.DatabaseURL != tt.db || !slices.Equal(fs.Args(), tt.leftover) {
			t.Errorf("Load(%q): db %q, args %q; want %q, %q", tt.args, cfg.DatabaseURL, fs.Args(), tt.db, tt.leftover)
		}
	}
}
