// Package config reads OneMap's settings from ONEMAP_* environment variables and command-line
// flags (flags win), validated once at start.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config holds every setting the server and the subcommands read.
type Config struct {
	DatabaseURL    string        // ONEMAP_DATABASE_URL, -db
	Listen         string        // ONEMAP_LISTEN, -listen
	RequestTimeout time.Duration // ONEMAP_REQUEST_TIMEOUT, -timeout
	TileCacheMB    int           // ONEMAP_TILE_CACHE_MB, -tile-cache-mb (0 disables the cache)
	PMTilesDir     string        // ONEMAP_PMTILES_DIR, -pmtiles-dir: the newest *.pmtiles in it is /tiles/onemap.pmtiles
	MaxUploadMB    int           // ONEMAP_MAX_UPLOAD_MB, -max-upload-mb
	MaxImportRows  int           // ONEMAP_MAX_IMPORT_ROWS, -max-import-rows
	TiandituKey    string        // ONEMAP_TIANDITU_KEY, -tianditu-key: enables the Tianditu basemaps in the UI (vector by default)
	TiandituURL    string        // ONEMAP_TIANDITU_URL, -tianditu-url: the Tianditu WMTS endpoint template (a proxy, or a test's receiver)
	BasemapURL     string        // ONEMAP_BASEMAP_URL, -basemap-url: an XYZ raster template for the UI
	LogFormat      string        // ONEMAP_LOG_FORMAT, -log-format: text or json
	LogLevel       string        // ONEMAP_LOG_LEVEL, -log-level: debug, info, warn or error
	// AnonymousRead lets callers without a token read (map, tiles, OGC, queries); edits,
	// imports and exports always need a token. ONEMAP_ANONYMOUS_READ, -anonymous-read.
	AnonymousRead bool

	// Deployment and security settings (issue 9).
	BaseURL        string        // ONEMAP_BASE_URL, -base-url: public URL links are built from (else the request's Host)
	CORSOrigins    []string      // ONEMAP_CORS_ORIGINS, -cors-origins: origins that may read tiles, OGC and read APIs
	MetricsToken   string        // ONEMAP_METRICS_TOKEN: bearer token that opens /metrics (admins may always read it)
	MetricsListen  string        // ONEMAP_METRICS_LISTEN, -metrics-listen: a separate address serving only /metrics
	TrustedProxies []string      // ONEMAP_TRUSTED_PROXIES, -trusted-proxies: IPs/CIDRs whose X-Forwarded-* are believed
	SessionIdle    time.Duration // ONEMAP_SESSION_IDLE, -session-idle: a sign-in ends after this long unused
	SessionMax     time.Duration // ONEMAP_SESSION_MAX, -session-max: and at the latest this long after it began
	// Accounts (issue 9): lockout, per-address throttling and password age.
	LoginMaxFailures   int           // ONEMAP_LOGIN_MAX_FAILURES, -login-max-failures: failures in LoginWindow that lock an account
	LoginLock          time.Duration // ONEMAP_LOGIN_LOCK, -login-lock: how long a lock lasts
	LoginWindow        time.Duration // ONEMAP_LOGIN_WINDOW, -login-window: the window failures are counted in
	LoginIPMaxFailures int           // ONEMAP_LOGIN_IP_MAX_FAILURES, -login-ip-max-failures: failures from one address (any accounts) in LoginWindow before it gets 429
	PasswordMaxAge     time.Duration // ONEMAP_PASSWORD_MAX_AGE, -password-max-age: 0 = passwords never expire
	// DBMaxConns is how many database connections one server may hold in all, split between
	// its pool for requests and its pool for tiles. ONEMAP_DB_MAX_CONNS, -db-max-conns.
	DBMaxConns int
	// AttachmentMaxMB is the largest attachment (a deed scan, a photo) accepted, default 50:
	// ONEMAP_ATTACHMENT_MAX_MB.
	AttachmentMaxMB int
	// OverlapToleranceM2 is how many m² a land parcel drawn or reshaped by hand may overlap live
	// parcels without a reason. ONEMAP_OVERLAP_TOLERANCE_M2, -overlap-tolerance-m2 (default 1).
	OverlapToleranceM2 float64
	// WebhookURL receives each new 预警 as a JSON POST (retried). ONEMAP_WEBHOOK_URL, -webhook-url.
	WebhookURL string
	// PrintFont and PrintLatinFont are the TrueType files the 专题图 PDFs embed for Chinese and for
	// Latin text ("" for Debian's Droid Sans Fallback and DejaVu Sans). ONEMAP_PRINT_FONT,
	// -print-font; ONEMAP_PRINT_LATIN_FONT, -print-latin-font.
	PrintFont, PrintLatinFont string
	// ReadDatabaseURLs are streaming replicas that serve reads (tiles, lists, statistics, OGC,
	// exports): ONEMAP_READ_DATABASE_URL, -read-db, comma-separated.
	ReadDatabaseURLs []string
	// ReadWait bounds how long a read that must see the user's own write waits for a replica to
	// replay it before it goes to the primary: ONEMAP_READ_WAIT, -read-wait (default 500ms).
	ReadWait time.Duration
	// ReadMaxLag is how far a replica may lag behind the primary and stay in service (0: no
	// bound): ONEMAP_READ_MAX_LAG, -read-max-lag (default 30s).
	ReadMaxLag time.Duration
}

// Load reads env (as from os.Environ via a lookup function) and then args, and validates the result.
func Load(name string, args []string, getenv func(string) string, out io.Writer) (Config, *flag.FlagSet, error) {
	c := Config{
		DatabaseURL:    getenv("ONEMAP_DATABASE_URL"),
		Listen:         or(getenv("ONEMAP_LISTEN"), ":8080"),
		PMTilesDir:     getenv("ONEMAP_PMTILES_DIR"),
		LogFormat:      or(getenv("ONEMAP_LOG_FORMAT"), "text"),
		LogLevel:       or(getenv("ONEMAP_LOG_LEVEL"), "info"),
		RequestTimeout: 30 * time.Second,
		TileCacheMB:    256,
		MaxUploadMB:    512,
		MaxImportRows:  2_000_000,
		AnonymousRead:  getenv("ONEMAP_ANONYMOUS_READ") != "false",
		BaseURL:        strings.TrimRight(getenv("ONEMAP_BASE_URL"), "/"),
		CORSOrigins:    splitList(getenv("ONEMAP_CORS_ORIGINS")),
		MetricsToken:   getenv("ONEMAP_METRICS_TOKEN"),
		MetricsListen:  getenv("ONEMAP_METRICS_LISTEN"),
		TrustedProxies: splitList(getenv("ONEMAP_TRUSTED_PROXIES")),
		SessionIdle:    30 * time.Minute,
		SessionMax:     12 * time.Hour,
		WebhookURL:     getenv("ONEMAP_WEBHOOK_URL"),
		PrintFont:      getenv("ONEMAP_PRINT_FONT"),
		PrintLatinFont: getenv("ONEMAP_PRINT_LATIN_FONT"),
	}
	c.AttachmentMaxMB = 50
	c.basemapEnv(getenv)
	c.accountDefaults()
	c.editDefaults()
	c.replicaDefaults(getenv)
	var errs []error
	envDuration(getenv, "ONEMAP_REQUEST_TIMEOUT", &c.RequestTimeout, &errs)
	envInt(getenv, "ONEMAP_TILE_CACHE_MB", &c.TileCacheMB, &errs)
	envInt(getenv, "ONEMAP_MAX_UPLOAD_MB", &c.MaxUploadMB, &errs)
	envInt(getenv, "ONEMAP_MAX_IMPORT_ROWS", &c.MaxImportRows, &errs)
	envInt(getenv, "ONEMAP_ATTACHMENT_MAX_MB", &c.AttachmentMaxMB, &errs)
	envDuration(getenv, "ONEMAP_SESSION_IDLE", &c.SessionIdle, &errs)
	envDuration(getenv, "ONEMAP_SESSION_MAX", &c.SessionMax, &errs)
	c.accountEnv(getenv, &errs)
	c.editEnv(getenv, &errs)
	c.replicaEnv(getenv, &errs)
	c.DBMaxConns = defaultDBMaxConns
	envInt(getenv, "ONEMAP_DB_MAX_CONNS", &c.DBMaxConns, &errs)
	if len(errs) > 0 {
		return c, nil, errors.Join(errs...)
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.IntVar(&c.DBMaxConns, "db-max-conns", c.DBMaxConns, "database connections the server may hold in all, 2 or more (ONEMAP_DB_MAX_CONNS)")
	fs.SetOutput(out)
	fs.StringVar(&c.DatabaseURL, "db", c.DatabaseURL, "PostgreSQL/PostGIS URL (ONEMAP_DATABASE_URL)")
	fs.StringVar(&c.Listen, "listen", c.Listen, "HTTP listen address (ONEMAP_LISTEN)")
	fs.DurationVar(&c.RequestTimeout, "timeout", c.RequestTimeout, "per-request timeout (ONEMAP_REQUEST_TIMEOUT)")
	fs.IntVar(&c.TileCacheMB, "tile-cache-mb", c.TileCacheMB, "tile cache size in MB, 0 disables (ONEMAP_TILE_CACHE_MB)")
	fs.StringVar(&c.PMTilesDir, "pmtiles-dir", c.PMTilesDir, "directory whose newest *.pmtiles is served as /tiles/onemap.pmtiles (ONEMAP_PMTILES_DIR)")
	fs.IntVar(&c.MaxUploadMB, "max-upload-mb", c.MaxUploadMB, "largest accepted upload in MB (ONEMAP_MAX_UPLOAD_MB)")
	fs.IntVar(&c.MaxImportRows, "max-import-rows", c.MaxImportRows, "most rows one import may hold (ONEMAP_MAX_IMPORT_ROWS)")
	c.basemapFlags(fs)
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format: text or json (ONEMAP_LOG_FORMAT)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "least level logged: debug (also every tile and health probe), info, warn or error (ONEMAP_LOG_LEVEL)")
	fs.BoolVar(&c.AnonymousRead, "anonymous-read", c.AnonymousRead, "allow reads without a token (ONEMAP_ANONYMOUS_READ=false to require login)")
	securityFlags(fs, &c)
	fs.StringVar(&c.PrintFont, "print-font", c.PrintFont, "CJK TrueType font the printed maps embed (ONEMAP_PRINT_FONT)")
	fs.StringVar(&c.PrintLatinFont, "print-latin-font", c.PrintLatinFont, "Latin TrueType font the printed maps embed (ONEMAP_PRINT_LATIN_FONT)")
	fs.StringVar(&c.WebhookURL, "webhook-url", c.WebhookURL, "URL receiving each new warning as a JSON POST (ONEMAP_WEBHOOK_URL)")
	c.accountFlags(fs)
	c.editFlags(fs)
	c.replicaFlags(fs)
	if err := fs.Parse(passThrough(fs, args)); err != nil {
		return c, fs, err
	}
	return c, fs, c.Validate()
}

// Validate reports every setting that cannot work.
func (c Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		errs = append(errs, fmt.Errorf("config: listen %q: %w", c.Listen, err))
	}
	if c.RequestTimeout <= 0 {
		errs = append(errs, fmt.Errorf("config: timeout must be positive, got %s", c.RequestTimeout))
	}
	for name, v := range map[string]int{"tile-cache-mb": c.TileCacheMB, "max-upload-mb": c.MaxUploadMB, "max-import-rows": c.MaxImportRows} {
		if v < 0 {
			errs = append(errs, fmt.Errorf("config: %s must not be negative, got %d", name, v))
		}
	}
	errs = append(errs, c.validateSecurity()...)
	errs = append(errs, c.validateBasemap()...)
	if u, err := url.Parse(c.WebhookURL); c.WebhookURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		errs = append(errs, fmt.Errorf("config: webhook-url %q must be an absolute http(s) URL", c.WebhookURL))
	}
	errs = append(errs, c.validateAccounts()...)
	errs = append(errs, c.validateEdit()...)
	errs = append(errs, c.validateReplicas()...)
	if c.DBMaxConns < 2 {
		errs = append(errs, fmt.Errorf("config: db-max-conns must be at least 2 (one per pool), got %d", c.DBMaxConns))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("config: log-format must be text or json, got %q", c.LogFormat))
	}
	if _, err := c.SlogLevel(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func envInt(getenv func(string) string, key string, dst *int, errs *[]error) {
	if v := getenv(key); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			*errs = append(*errs, fmt.Errorf("config: %s=%q is not a whole number", key, v))
			return
		}
		*dst = n
	}
}

func envDuration(getenv func(string) string, key string, dst *time.Duration, errs *[]error) {
	if v := getenv(key); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			*errs = append(*errs, fmt.Errorf("config: %s=%q is not a duration such as 30s", key, v))
			return
		}
		*dst = d
	}
}

// defaultDBMaxConns is the connection budget of one server: five for requests, five for tiles,
// well inside PostgreSQL's default of 100 even with a few servers on one cluster.
const defaultDBMaxConns = 10

// PoolSizes splits DBMaxConns between the request pool and the tile pool.
func (c Config) PoolSizes() (requests, tiles int32) {
	n := int32(max(c.DBMaxConns, 2))
	return n - n/2, n / 2
}

// SlogLevel is LogLevel as a log/slog level.
func (c Config) SlogLevel() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil || strings.ContainsAny(c.LogLevel, "+-") {
		return 0, fmt.Errorf("config: log-level must be debug, info, warn or error, got %q", c.LogLevel)
	}
	return l, nil
}
