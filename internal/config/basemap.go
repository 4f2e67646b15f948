package config

import (
	"flag"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// The basemap settings (issue 13 item 8) in one place.

// DefaultTiandituURL is the Tianditu WMTS endpoint of one layer in Web Mercator (the _w sets):
// {s} is a subdomain 0–7, {layer} one of vec, cva, img, cia. The UI appends the GetTile query.
const DefaultTiandituURL = "https://t{s}.tianditu.gov.cn/{layer}_w/wmts"

func (c *Config) basemapEnv(getenv func(string) string) {
	c.TiandituKey = getenv("ONEMAP_TIANDITU_KEY")
	c.TiandituURL = or(getenv("ONEMAP_TIANDITU_URL"), DefaultTiandituURL)
	c.BasemapURL = getenv("ONEMAP_BASEMAP_URL")
}

func (c *Config) basemapFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.TiandituKey, "tianditu-key", c.TiandituKey, "Tianditu tk key: the Tianditu basemaps, vector by default (ONEMAP_TIANDITU_KEY)")
	fs.StringVar(&c.TiandituURL, "tianditu-url", c.TiandituURL, "Tianditu WMTS endpoint template with {layer} and optional {s} (ONEMAP_TIANDITU_URL)")
	fs.StringVar(&c.BasemapURL, "basemap-url", c.BasemapURL, "XYZ raster basemap URL template (ONEMAP_BASEMAP_URL)")
}

func (c Config) validateBasemap() []error {
	if c.TiandituKey == "" {
		return nil
	}
	t := c.TiandituTemplate()
	u, err := url.Parse(strings.ReplaceAll(t, "{s}", "0"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !strings.Contains(t, "{layer}") || u.RawQuery != "" {
		return []error{fmt.Errorf("config: tianditu-url %q must be an absolute http(s) URL with {layer} and no query, such as %s", c.TiandituURL, DefaultTiandituURL)}
	}
	return nil
}

// TiandituTemplate is the Tianditu endpoint template in use (DefaultTiandituURL unless set).
func (c Config) TiandituTemplate() string { return or(c.TiandituURL, DefaultTiandituURL) }

// BasemapOrigins are the origins the UI's basemaps load from (for the Content-Security-Policy):
// each Tianditu subdomain when a key is set, and the XYZ template's host when one is set.
func (c Config) BasemapOrigins() []string {
	var out []string
	add := func(raw string) {
		if u, err := url.Parse(strings.NewReplacer("{", "", "}", "").Replace(raw)); err == nil && u.Host != "" && !slices.Contains(out, u.Scheme+"://"+u.Host) {
			out = append(out, u.Scheme+"://"+u.Host)
		}
	}
	if c.TiandituKey != "" {
		for s := range 8 {
			add(strings.ReplaceAll(c.TiandituTemplate(), "{s}", strconv.Itoa(s)))
		}
	}
	if c.BasemapURL != "" {
		add(c.BasemapURL)
	}
	return out
}
