package config

import (
	"flag"
	"fmt"
	"time"
)

// The account settings of issue 9 (lockout, throttling, password age) in one place.

func (c *Config) accountDefaults() {
	c.LoginMaxFailures = 5
	c.LoginLock = 15 * time.Minute
	c.LoginWindow = 15 * time.Minute
	c.LoginIPMaxFailures = 20
}

func (c *Config) accountEnv(getenv func(string) string, errs *[]error) {
	envInt(getenv, "ONEMAP_LOGIN_MAX_FAILURES", &c.LoginMaxFailures, errs)
	envDuration(getenv, "ONEMAP_LOGIN_LOCK", &c.LoginLock, errs)
	envDuration(getenv, "ONEMAP_LOGIN_WINDOW", &c.LoginWindow, errs)
	envInt(getenv, "ONEMAP_LOGIN_IP_MAX_FAILURES", &c.LoginIPMaxFailures, errs)
	envDuration(getenv, "ONEMAP_PASSWORD_MAX_AGE", &c.PasswordMaxAge, errs)
}

func (c *Config) accountFlags(fs *flag.FlagSet) {
	fs.IntVar(&c.LoginMaxFailures, "login-max-failures", c.LoginMaxFailures, "failed sign-ins within the window that lock an account (ONEMAP_LOGIN_MAX_FAILURES)")
	fs.DurationVar(&c.LoginLock, "login-lock", c.LoginLock, "how long an account stays locked (ONEMAP_LOGIN_LOCK)")
	fs.DurationVar(&c.LoginWindow, "login-window", c.LoginWindow, "window in which failed sign-ins are counted (ONEMAP_LOGIN_WINDOW)")
	fs.IntVar(&c.LoginIPMaxFailures, "login-ip-max-failures", c.LoginIPMaxFailures, "failed sign-ins from one address, any accounts, before it is slowed with 429 (ONEMAP_LOGIN_IP_MAX_FAILURES)")
	fs.DurationVar(&c.PasswordMaxAge, "password-max-age", c.PasswordMaxAge, "password expiry, 0 = never (ONEMAP_PASSWORD_MAX_AGE)")
}

func (c Config) validateAccounts() []error {
	var errs []error
	if c.LoginMaxFailures < 1 || c.LoginIPMaxFailures < 1 {
		errs = append(errs, fmt.Errorf("config: login-max-failures and login-ip-max-failures must be at least 1"))
	}
	if c.LoginLock <= 0 || c.LoginWindow <= 0 {
		errs = append(errs, fmt.Errorf("config: login-lock and login-window must be positive"))
	}
	if c.PasswordMaxAge < 0 {
		errs = append(errs, fmt.Errorf("config: password-max-age must not be negative"))
	}
	return errs
}
