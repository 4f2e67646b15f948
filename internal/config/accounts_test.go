package config

import (
	"io"
	"strings"
	"testing"
	"time"
)

func TestAccountSettings(t *testing.T) {
	d, _, err := Load("t", nil, env(nil), io.Discard)
	if err != nil || d.LoginMaxFailures != 5 || d.LoginLock != 15*time.Minute || d.LoginWindow != 15*time.Minute || d.PasswordMaxAge != 0 {
		t.Fatalf("defaults = %+v, %v", d, err)
	}
	c, _, err := Load("t", []string{"-login-lock", "2s"}, env(map[string]string{
		"ONEMAP_LOGIN_MAX_FAILURES": "3", "ONEMAP_LOGIN_LOCK": "1m", "ONEMAP_PASSWORD_MAX_AGE": "2160h",
	}), io.Discard)
	if err != nil || c.LoginMaxFailures != 3 || c.LoginLock != 2*time.Second || c.PasswordMaxAge != 2160*time.Hour {
		t.Fatalf("config = %+v, %v", c, err)
	}
	if _, _, err := Load("t", []string{"-login-max-failures", "0"}, env(nil), io.Discard); err == nil || !strings.Contains(err.Error(), "login-max-failures") {
		t.Fatalf("0 failures: %v", err)
	}
}
