package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/onemap/onemap/tiles"
)

// Metrics are the server's Prometheus collectors, in a registry of its own (no globals).
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.HistogramVec
	tiles    *prometheus.HistogramVec
	tileSize *prometheus.HistogramVec
}

// NewMetrics registers the collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "onemap_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2.5, 12),
		}, []string{"method", "route", "status"}),
		tiles: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "onemap_tile_duration_seconds", Help: "Tile latency by layer and zoom.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2.5, 12),
		}, []string{"layer", "z"}),
		tileSize: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "onemap_tile_bytes", Help: "Tile size in bytes (before gzip) by layer and zoom.",
			Buckets: prometheus.ExponentialBuckets(256, 4, 8),
		}, []string{"layer", "z"}),
	}
	m.reg.MustRegister(m.requests, m.tiles, m.tileSize,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Middleware times every request under its route pattern (not its raw path, to bound cardinality).
func (m *Metrics) Middleware() fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		if err := c.Next(); err != nil {
			// Render the error here so the status we record is the one the client sees.
			if herr := c.App().ErrorHandler(c, err); herr != nil {
				return herr
			}
		}
		status := strconv.Itoa(c.Response().StatusCode())
		// Copies: Fiber's strings point into buffers it reuses for the next request, and a label
		// kept by the registry must not change under it ("GETE", "POSTTE" broke /metrics).
		m.requests.WithLabelValues(methodLabel(c.Method()), strings.Clone(c.Route().Path), status).Observe(time.Since(start).Seconds())
		return nil
	}
}

// methodLabel bounds the method label to the standard methods (any other counts as "OTHER").
func methodLabel(m string) string {
	switch m {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodPost, fiber.MethodPut, fiber.MethodPatch,
		fiber.MethodDelete, fiber.MethodOptions, fiber.MethodConnect, fiber.MethodTrace:
		return strings.Clone(m)
	}
	return "OTHER"
}

// ObserveTile records one tile's latency and size.
func (m *Metrics) ObserveTile(layer string, z int, d time.Duration, size int) {
	zs := strconv.Itoa(z)
	m.tiles.WithLabelValues(layer, zs).Observe(d.Seconds())
	m.tileSize.WithLabelValues(layer, zs).Observe(float64(size))
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() fiber.Handler { return adaptor.HTTPHandler(m.HTTPHandler()) }

// HTTPHandler is the same for a plain net/http server (the separate ONEMAP_METRICS_LISTEN address).
func (m *Metrics) HTTPHandler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// tileCacheCollector reports the tile cache's size and lookups at each scrape.
type tileCacheCollector struct {
	stats                        func() tiles.CacheStats
	entries, bytes, limit, ratio *prometheus.Desc
	hits, misses, dropped        *prometheus.Desc
}

// ObserveTileCache adds the tile cache's figures to the registry (once; later calls are ignored).
func (m *Metrics) ObserveTileCache(stats func() tiles.CacheStats) {
	d := func(name, help string) *prometheus.Desc { return prometheus.NewDesc(name, help, nil, nil) }
	_ = m.reg.Register(&tileCacheCollector{
		stats:   stats,
		entries: d("onemap_tile_cache_entries", "Tiles held in the tile cache."),
		bytes:   d("onemap_tile_cache_bytes", "Bytes the tile cache holds (gzipped tiles and keys), against its limit."),
		limit:   d("onemap_tile_cache_limit_bytes", "The tile cache's limit in bytes (ONEMAP_TILE_CACHE_MB)."),
		ratio:   d("onemap_tile_cache_hit_ratio", "Share of tile lookups the cache answered since start."),
		hits:    d("onemap_tile_cache_hits_total", "Tile lookups the cache answered."),
		misses:  d("onemap_tile_cache_misses_total", "Tile lookups the cache could not answer (rendered)."),
		dropped: d("onemap_tile_cache_dropped_total", "Cached tiles dropped because a write reached them."),
	})
}

// Describe implements prometheus.Collector.
func (c *tileCacheCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.entries, c.bytes, c.limit, c.ratio, c.hits, c.misses, c.dropped} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *tileCacheCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.stats()
	ratio := 0.0
	if s.Hits+s.Misses > 0 {
		ratio = float64(s.Hits) / float64(s.Hits+s.Misses)
	}
	gauge := func(d *prometheus.Desc, v float64) { ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v) }
	count := func(d *prometheus.Desc, v uint64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v))
	}
	gauge(c.entries, float64(s.Entries))
	gauge(c.bytes, float64(s.Bytes))
	gauge(c.limit, float64(s.Limit))
	gauge(c.ratio, ratio)
	count(c.hits, s.Hits)
	count(c.misses, s.Misses)
	count(c.dropped, s.Dropped)
}
