-- Audit trail (强制留痕): append-only, each row chained to the one before by a SHA-256 hash, so
-- that a changed or deleted row breaks the chain (`onemap audit verify`). Rows younger than 180
-- days can never be deleted; older ones only through audit_prune.
CREATE TABLE audit_log (
    id        bigserial PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    actor     text NOT NULL DEFAULT '',
    user_id   bigint,
    action    text NOT NULL,
    target    text NOT NULL DEFAULT '',
    detail    jsonb NOT NULL DEFAULT '{}',
    ip        text NOT NULL DEFAULT '',
    prev_hash bytea,
    hash      bytea NOT NULL
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_action_idx ON audit_log (action, at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, at);

-- audit_row_hash is the chain link: SHA-256 over the previous row's hash (hex) and the row's
-- canonical content, a JSON array whose text form does not depend on session settings.
CREATE FUNCTION audit_row_hash(prev bytea, id bigint, at timestamptz, actor text, user_id bigint,
                               action text, target text, detail jsonb, ip text) RETURNS bytea
LANGUAGE sql STABLE AS $$
    SELECT sha256(convert_to(coalesce(encode(prev, 'hex'), '') || jsonb_build_array(
        id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), actor, user_id,
        action, target, detail, ip)::text, 'UTF8'))
$$;

-- audit_append adds one row. The advisory lock, held to the end of the caller's transaction,
-- serialises appends so that the chain stays linear.
CREATE FUNCTION audit_append(p_actor text, p_user_id bigint, p_action text, p_target text,
                             p_detail jsonb, p_ip text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_id   bigint;
    v_at   timestamptz := date_trunc('microseconds', clock_timestamp());
    v_prev bytea;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('onemap.audit_log'));
    SELECT hash INTO v_prev FROM audit_log ORDER BY id DESC LIMIT 1;
    v_id := nextval(pg_get_serial_sequence('audit_log', 'id'));
    INSERT INTO audit_log (id, at, actor, user_id, action, target, detail, ip, prev_hash, hash)
    VALUES (v_id, v_at, p_actor, p_user_id, p_action, p_target, p_detail, p_ip, v_prev,
            audit_row_hash(v_prev, v_id, v_at, p_actor, p_user_id, p_action, p_target, p_detail, p_ip));
    RETURN v_id;
END $$;

-- audit_guard refuses every UPDATE and DELETE, except a DELETE of a row older than 180 days made
-- by audit_prune (which sets onemap.audit_prune for its transaction).
CREATE FUNCTION audit_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('onemap.audit_prune', true) = 'on'
       AND OLD.at < now() - interval '180 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_guard();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_guard();

-- audit_prune deletes the rows older than before, which must lie at least 180 days back; it
-- returns how many went. The oldest kept row's prev_hash then anchors the chain.
CREATE FUNCTION audit_prune(before timestamptz) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    IF before > now() - interval '180 days' THEN
        RAISE EXCEPTION 'audit rows are kept at least 180 days: % is too recent', before
            USING ERRCODE = 'check_violation';
    END IF;
    PERFORM set_config('onemap.audit_prune', 'on', true);
    DELETE FROM audit_log WHERE at < before;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM set_config('onemap.audit_prune', 'off', true);
    RETURN n;
END $$;
