package config

import (
	"flag"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// securityFlags defines the flags of the deployment and security settings.
func securityFlags(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "public base URL for links, e.g. https://onemap.example.gov.cn (ONEMAP_BASE_URL)")
	fs.Func("cors-origins", "comma-separated origins allowed to read tiles, OGC and read APIs (ONEMAP_CORS_ORIGINS)", func(v string) error {
		c.CORSOrigins = splitList(v)
		return nil
	})
	fs.StringVar(&c.MetricsListen, "metrics-listen", c.MetricsListen, "separate address serving /metrics without a token (ONEMAP_METRICS_LISTEN)")
	fs.Func("trusted-proxies", "comma-separated proxy IPs or CIDRs whose X-Forwarded-* headers are believed (ONEMAP_TRUSTED_PROXIES)", func(v string) error {
		c.TrustedProxies = splitList(v)
		return nil
	})
	fs.DurationVar(&c.SessionIdle, "session-idle", c.SessionIdle, "a sign-in ends after this long unused (ONEMAP_SESSION_IDLE)")
	fs.DurationVar(&c.SessionMax, "session-max", c.SessionMax, "a sign-in ends at the latest this long after it began (ONEMAP_SESSION_MAX)")
}

// validateSecurity reports the deployment and security settings that cannot work.
func (c Config) validateSecurity() []error {
	var errs []error
	if c.BaseURL != "" {
		if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
			errs = append(errs, fmt.Errorf("config: base-url %q must be an absolute http(s) URL such as https://onemap.example.gov.cn", c.BaseURL))
		}
	}
	for _, o := range c.CORSOrigins {
		if u, err := url.Parse(o); o != "*" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.Trim(u.Path, "/") != "") {
			errs = append(errs, fmt.Errorf("config: cors-origins: %q is not an origin such as https://gis.example.gov.cn", o))
		}
	}
	for _, p := range c.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				errs = append(errs, fmt.Errorf("config: trusted-proxies: %q is not an IP address or CIDR", p))
			}
		}
	}
	if c.MetricsListen != "" {
		if _, _, err := net.SplitHostPort(c.MetricsListen); err != nil {
			errs = append(errs, fmt.Errorf("config: metrics-listen %q: %w", c.MetricsListen, err))
		}
	}
	for name, d := range map[string]time.Duration{"session-idle": c.SessionIdle, "session-max": c.SessionMax} {
		if d <= 0 {
			errs = append(errs, fmt.Errorf("config: %s must be positive, got %s", name, d))
		}
	}
	return errs
}

// splitList splits a comma-separated setting, dropping blanks and trailing slashes of origins.
func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimRight(strings.TrimSpace(s), "/"); s != "" {
			out = append(out, s)
		}
	}
	return out
}
