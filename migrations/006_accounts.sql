-- Accounts (issue 9): forced password changes, password age, lockout after repeated failures,
-- and a record of every sign-in attempt for lockout and per-address throttling.
ALTER TABLE users
    ADD COLUMN must_change_password boolean NOT NULL DEFAULT false,
    ADD COLUMN password_changed_at  timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN locked_until         timestamptz,
    -- failures before this moment no longer count towards a lock (set on success and unlock)
    ADD COLUMN failures_reset_at    timestamptz NOT NULL DEFAULT '-infinity';

ALTER TABLE tokens ADD COLUMN last_used_at timestamptz;

-- login_attempts keeps every sign-in attempt; lockout and throttling count the recent failures.
CREATE TABLE login_attempts (
    id       bigserial PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now(),
    username text NOT NULL,
    ip       text NOT NULL DEFAULT '',
    ok       boolean NOT NULL
);
CREATE INDEX login_attempts_user_idx ON login_attempts (username, at) WHERE NOT ok;
CREATE INDEX login_attempts_ip_idx ON login_attempts (ip, at) WHERE NOT ok;
