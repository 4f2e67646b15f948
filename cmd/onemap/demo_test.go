package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/onemap/onemap/internal/db/dbtest"
)

func TestDemoCommand(t *testing.T) {
	url := dbtest.NewURL(t)
	env := func(k string) string {
		if k == "ONEMAP_DATABASE_URL" {
			return url
		}
		return ""
	}
	run := func(args ...string) (string, error) {
		m := NewMain(append([]string{"demo"}, args...), env)
		var out bytes.Buffer
		m.Stdout, m.Stderr = &out, &out
		err := m.Run(context.Background())
		if cerr := m.Close(); err == nil {
			err = cerr
		}
		return out.String(), err
	}
	steps := []struct {
		args    []string
		want    string // in the output, or in the error when fails
		fails   bool
		comment string
	}{
		{[]string{"--parcels", "300"}, "593 assets", false, "loads 300 parcels and the 293 other assets"},
		{[]string{"--parcels", "300"}, "--replace", true, "refuses to load over existing assets"},
		{[]string{"--if-empty"}, "nothing loaded", false, "leaves a loaded database be"},
		{[]string{"--replace", "--parcels=200", "--seed", "2"}, "removed 593", false, "replaces the demo"},
		{[]string{"--replace", "--if-empty"}, "contradict", true, "rejects contradictory flags"},
		{[]string{"--parcels", "-5"}, "negative", true, "rejects a negative size"},
		{[]string{"--replace", "--parcels", "50000000"}, "do not fit: at most", true, "refuses a city too big for the land"},
		{[]string{"--if-empty"}, "holds 493 assets", false, "kept the city it refused to replace"},
	}
	for _, s := range steps {
		out, err := run(s.args...)
		got := out
		if err != nil {
			got = err.Error()
		}
		if (err != nil) != s.fails || !strings.Contains(got, s.want) {
			t.Fatalf("demo %v (%s): output %q, error %v; want %q", s.args, s.comment, out, err, s.want)
		}
	}
}
