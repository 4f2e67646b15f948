package config

import (
	"io"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadEnvThenFlags(t *testing.T) {
	c, _, err := Load("t", []string{"-listen", ":9999"}, env(map[string]string{
		"ONEMAP_DATABASE_URL": "postgres://x/y", "ONEMAP_LISTEN": ":7000", "ONEMAP_TILE_CACHE_MB": "0",
		"ONEMAP_REQUEST_TIMEOUT": "5s", "ONEMAP_ANONYMOUS_READ": "false",
	}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != "postgres://x/y" || c.Listen != ":9999" || c.TileCacheMB != 0 || c.RequestTimeout != 5*time.Second || c.AnonymousRead {
		t.Errorf("config = %+v", c)
	}
	d, _, err := Load("t", nil, env(nil), io.Discard)
	if err != nil || d.Listen != ":8080" || !d.AnonymousRead || d.TileCacheMB != 256 {
		t.Errorf("defaults = %+v, %v", d, err)
	}
}

func TestLoadRejects(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"bad number", map[string]string{"ONEMAP_TILE_CACHE_MB": "lots"}, nil, "ONEMAP_TILE_CACHE_MB"},
		{"bad duration", map[string]string{"ONEMAP_REQUEST_TIMEOUT": "30"}, nil, "ONEMAP_REQUEST_TIMEOUT"},
		{"bad listen", nil, []string{"-listen", "8080"}, "listen"},
		{"negative", nil, []string{"-max-upload-mb", "-1"}, "max-upload-mb"},
		{"log format", nil, []string{"-log-format", "xml"}, "log-format"},
		{"zero timeout", nil, []string{"-timeout", "0s"}, "timeout"},
		{"one connection", map[string]string{"ONEMAP_DB_MAX_CONNS": "1"}, nil, "db-max-conns"},
		{"bad connections", map[string]string{"ONEMAP_DB_MAX_CONNS": "many"}, nil, "ONEMAP_DB_MAX_CONNS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Load("t", tt.args, env(tt.env), io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one naming %s", err, tt.want)
			}
		})
	}
}

func TestPoolSizes(t *testing.T) {
	d, _, err := Load("t", nil, env(nil), io.Discard)
	if r, tl := d.PoolSizes(); err != nil || r != 5 || tl != 5 {
		t.Errorf("default pools = %d, %d (%v), want 5, 5", r, tl, err)
	}
	c, _, err := Load("t", []string{"-db-max-conns", "3"}, env(map[string]string{"ONEMAP_DB_MAX_CONNS": "20"}), io.Discard)
	if r, tl := c.PoolSizes(); err != nil || r != 2 || tl != 1 {
		t.Errorf("pools of 3 = %d, %d (%v), want 2, 1", r, tl, err)
	}
}
