package config

import (
	"flag"
	"fmt"
	"net/url"
	"time"
)

// The read-replica settings of issue 14 in one place.

// defaultReadWait is how long a read that must see a user's own write waits for a replica to
// replay it before it goes to the primary.
const defaultReadWait = 500 * time.Millisecond

// defaultReadMaxLag is how far a replica may lag behind the primary and stay in service.
const defaultReadMaxLag = 30 * time.Second

func (c *Config) replicaDefaults(getenv func(string) string) {
	c.ReadDatabaseURLs = splitList(getenv("ONEMAP_READ_DATABASE_URL"))
	c.ReadWait = defaultReadWait
	c.ReadMaxLag = defaultReadMaxLag
}

func (c *Config) replicaEnv(getenv func(string) string, errs *[]error) {
	envDuration(getenv, "ONEMAP_READ_WAIT", &c.ReadWait, errs)
	envDuration(getenv, "ONEMAP_READ_MAX_LAG", &c.ReadMaxLag, errs)
}

func (c *Config) replicaFlags(fs *flag.FlagSet) {
	fs.Func("read-db", "comma-separated URLs of streaming replicas serving reads (ONEMAP_READ_DATABASE_URL)", func(v string) error {
		c.ReadDatabaseURLs = splitList(v)
		return nil
	})
	fs.DurationVar(&c.ReadWait, "read-wait", c.ReadWait, "how long a read waits for a replica to replay the user's last write before it asks the primary (ONEMAP_READ_WAIT)")
	fs.DurationVar(&c.ReadMaxLag, "read-max-lag", c.ReadMaxLag, "how far a replica may lag behind the primary before its reads go elsewhere until it is back within half of it; 0 = no bound (ONEMAP_READ_MAX_LAG)")
}

func (c Config) validateReplicas() []error {
	var errs []error
	for _, u := range c.ReadDatabaseURLs {
		if p, err := url.Parse(u); err != nil || (p.Scheme != "postgres" && p.Scheme != "postgresql") {
			errs = append(errs, fmt.Errorf("config: read-db: %q is not a postgres:// URL", redact(u)))
		}
	}
	if c.ReadWait < 0 {
		errs = append(errs, fmt.Errorf("config: read-wait must not be negative, got %s", c.ReadWait))
	}
	if c.ReadMaxLag < 0 {
		errs = append(errs, fmt.Errorf("config: read-max-lag must not be negative, got %s", c.ReadMaxLag))
	}
	return errs
}

// redact hides the password of a database URL in messages.
func redact(u string) string {
	if p, err := url.Parse(u); err == nil {
		return p.Redacted()
	}
	return "(unparsable URL)"
}
