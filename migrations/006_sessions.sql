-- Sign-in sessions end after an idle period as well as at their absolute expiry (等保 2.0): each
-- token knows whether it is a browser session or a named token for GIS tools, and when it was
-- last used (touched at most once a minute).
ALTER TABLE tokens ADD COLUMN kind text NOT NULL DEFAULT 'token' CHECK (kind IN ('session', 'token'));
ALTER TABLE tokens ADD COLUMN last_used_at timestamptz NOT NULL DEFAULT now();
UPDATE tokens SET kind = 'session' WHERE name = 'login';
