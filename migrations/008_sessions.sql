-- Sign-in sessions end after an idle period as well as at their absolute expiry (等保 2.0): each
-- token knows whether it is a browser session or a named token for GIS tools (last_used_at,
-- added in 006, tells how long it has been idle).
ALTER TABLE tokens ADD COLUMN kind text NOT NULL DEFAULT 'token' CHECK (kind IN ('session', 'token'));
UPDATE tokens SET kind = 'session' WHERE name = 'login';
