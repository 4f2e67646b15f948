package config

import (
	"io"
	"strings"
	"testing"
)

func TestWebhookURL(t *testing.T) {
	c, _, err := Load("t", nil, env(map[string]string{"ONEMAP_WEBHOOK_URL": "https://oa.example.gov.cn/hooks/onemap"}), io.Discard)
	if err != nil || c.WebhookURL != "https://oa.example.gov.cn/hooks/onemap" {
		t.Errorf("env: %q, %v", c.WebhookURL, err)
	}
	c, _, err = Load("t", []string{"-webhook-url", "http://127.0.0.1:9000/in"}, env(nil), io.Discard)
	if err != nil || c.WebhookURL != "http://127.0.0.1:9000/in" {
		t.Errorf("flag: %q, %v", c.WebhookURL, err)
	}
	for _, bad := range []string{"oa.example.gov.cn/hooks", "ftp://x/y", "https://"} {
		if _, _, err := Load("t", []string{"-webhook-url", bad}, env(nil), io.Discard); err == nil || !strings.Contains(err.Error(), "webhook-url") {
			t.Errorf("%q: %v, want a webhook-url error", bad, err)
		}
	}
}
