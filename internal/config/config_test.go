package config

import (
	"io"
	"slices"
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
		{"log level", map[string]string{"ONEMAP_LOG_LEVEL": "loud"}, nil, "log-level"},
		{"log level offset", nil, []string{"-log-level", "info+2"}, "log-level"},
		{"zero timeout", nil, []string{"-timeout", "0s"}, "timeout"},
		{"one connection", map[string]string{"ONEMAP_DB_MAX_CONNS": "1"}, nil, "db-max-conns"},
		{"bad connections", map[string]string{"ONEMAP_DB_MAX_CONNS": "many"}, nil, "ONEMAP_DB_MAX_CONNS"},
		{"tianditu without layer", map[string]string{"ONEMAP_TIANDITU_KEY": "k", "ONEMAP_TIANDITU_URL": "https://tdt.example/wmts"}, nil, "tianditu-url"},
		{"tianditu relative", nil, []string{"-tianditu-key", "k", "-tianditu-url", "/{layer}_w/wmts"}, "tianditu-url"},
		{"replica not postgres", map[string]string{"ONEMAP_READ_DATABASE_URL": "postgres://a/x, mysql://b/x"}, nil, "read-db"},
		{"bad read wait", map[string]string{"ONEMAP_READ_WAIT": "soon"}, nil, "ONEMAP_READ_WAIT"},
		{"negative read wait", nil, []string{"-read-wait", "-1s"}, "read-wait"},
		{"bad read max lag", map[string]string{"ONEMAP_READ_MAX_LAG": "far"}, nil, "ONEMAP_READ_MAX_LAG"},
		{"negative read max lag", nil, []string{"-read-max-lag", "-1s"}, "read-max-lag"},
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

func TestReadReplicas(t *testing.T) {
	c, _, err := Load("t", nil, env(map[string]string{
		"ONEMAP_READ_DATABASE_URL": "postgres://r1:5432/onemap, postgresql://u:secret@r2/onemap", "ONEMAP_READ_WAIT": "1s",
		"ONEMAP_READ_MAX_LAG": "0",
	}), io.Discard)
	if err != nil || len(c.ReadDatabaseURLs) != 2 || c.ReadDatabaseURLs[1] != "postgresql://u:secret@r2/onemap" || c.ReadWait != time.Second || c.ReadMaxLag != 0 {
		t.Errorf("replicas = %q, wait %s, max lag %s (%v)", c.ReadDatabaseURLs, c.ReadWait, c.ReadMaxLag, err)
	}
	d, _, err := Load("t", nil, env(nil), io.Discard)
	if err != nil || d.ReadDatabaseURLs != nil || d.ReadWait != 500*time.Millisecond || d.ReadMaxLag != 30*time.Second {
		t.Errorf("defaults: replicas %q, wait %s, max lag %s (%v)", d.ReadDatabaseURLs, d.ReadWait, d.ReadMaxLag, err)
	}
	_, _, err = Load("t", nil, env(map[string]string{"ONEMAP_READ_DATABASE_URL": "mysql://u:secret@r/x"}), io.Discard)
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("a bad replica URL: %v (must be refused without its password)", err)
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

func TestBasemapOrigins(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"offline", nil, nil},
		{"xyz only", map[string]string{"ONEMAP_BASEMAP_URL": "https://tiles.example/{z}/{x}/{y}.png"}, []string{"https://tiles.example"}},
		{"tianditu", map[string]string{"ONEMAP_TIANDITU_KEY": "k"}, []string{
			"https://t0.tianditu.gov.cn", "https://t1.tianditu.gov.cn", "https://t2.tianditu.gov.cn", "https://t3.tianditu.gov.cn",
			"https://t4.tianditu.gov.cn", "https://t5.tianditu.gov.cn", "https://t6.tianditu.gov.cn", "https://t7.tianditu.gov.cn",
		}},
		{"tianditu proxy", map[string]string{"ONEMAP_TIANDITU_KEY": "k", "ONEMAP_TIANDITU_URL": "http://gis.local:8081/tdt/{layer}_w/wmts"}, []string{"http://gis.local:8081"}},
		{"proxy without key", map[string]string{"ONEMAP_TIANDITU_URL": "http://gis.local:8081/tdt/{layer}_w/wmts"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, err := Load("t", nil, env(tt.env), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.BasemapOrigins(); !slices.Equal(got, tt.want) {
				t.Errorf("BasemapOrigins() = %q, want %q", got, tt.want)
			}
		})
	}
}
