-- The reform's ledger (issue 11): units that own 盘活项目, the projects with their member assets,
-- monthly reports and their review, targets per region and per 工作领域, lease terms, and 预警.
--
-- A unit is whoever a project belongs to and whose row the monthly 榜单 shows, in one of the five
-- groups: county (县市组), district (城区组), city (市级组: a city department), zone (园区组),
-- enterprise (国有企业组). Regions and zones are units by themselves (triggers below keep them in
-- step: a county region whose name ends in 区 starts in the district group, an admin may move
-- it); departments and enterprises are added as units directly.
CREATE TABLE units (
    code        text PRIMARY KEY CHECK (code <> ''),
    name        text NOT NULL CHECK (name <> ''),
    grp         text NOT NULL CHECK (grp IN ('county', 'district', 'city', 'zone', 'enterprise')),
    -- region_code is the region the unit answers to (its own code for a region unit; the zone's
    -- region for a zone; the city for a department or enterprise): scoping follows it.
    region_code text REFERENCES regions (code) ON UPDATE CASCADE,
    zone_code   text REFERENCES zones (code) ON UPDATE CASCADE ON DELETE SET NULL,
    sort        integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX units_grp_idx ON units (grp, sort, code);

CREATE FUNCTION units_from_region() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.level = 'county' THEN
        INSERT INTO units (code, name, grp, region_code)
        VALUES (NEW.code, NEW.name, CASE WHEN NEW.name LIKE '%区' THEN 'district' ELSE 'county' END, NEW.code)
        ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER regions_units AFTER INSERT OR UPDATE OF name, level ON regions
    FOR EACH ROW EXECUTE FUNCTION units_from_region();

CREATE FUNCTION units_from_zone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO units (code, name, grp, region_code, zone_code)
    VALUES (NEW.code, NEW.name, 'zone', NEW.region_code, NEW.code)
    ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, region_code = EXCLUDED.region_code;
    RETURN NULL;
END $$;
CREATE TRIGGER zones_units AFTER INSERT OR UPDATE OF name, region_code ON zones
    FOR EACH ROW EXECUTE FUNCTION units_from_zone();

INSERT INTO units (code, name, grp, region_code)
SELECT code, name, CASE WHEN name LIKE '%区' THEN 'district' ELSE 'county' END, code FROM regions WHERE level = 'county'
ON CONFLICT DO NOTHING;
INSERT INTO units (code, name, grp, region_code, zone_code)
SELECT code, name, 'zone', region_code, code FROM zones ON CONFLICT DO NOTHING;

-- Two roles for the monthly reports: reviewer (finance bureau: approves or returns) and
-- reporter (fills the reports of its own unit's projects; unit_code says which unit).
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'analyst', 'planner', 'leader', 'reviewer', 'reporter'));
ALTER TABLE users ADD COLUMN unit_code text REFERENCES units (code) ON UPDATE CASCADE;
ALTER TABLE users ADD CONSTRAINT users_reporter_unit CHECK (role <> 'reporter' OR unit_code IS NOT NULL);

-- 工作领域 of the plans, each led by a 牵头单位.
CREATE FUNCTION ledger_fields() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['natural_resources', 'water', 'forestry', 'zones_energy', 'data', 'culture_tourism',
                 'party_gov_assets', 'institution_assets', 'enterprise_assets', 'concession']
$$;

-- A 盘活项目: one line of the 台账.
CREATE TABLE projects (
    id                 bigserial PRIMARY KEY,
    code               text NOT NULL CHECK (code <> ''),
    name               text NOT NULL CHECK (name <> ''),
    year               integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    unit_code          text NOT NULL REFERENCES units (code) ON UPDATE CASCADE,
    field              text NOT NULL CHECK (field = ANY (ledger_fields())),
    mode               text NOT NULL CHECK (mode IN ('use', 'sell', 'lease', 'finance')),
    -- instrument: transfer_grant 出让, transfer 转让, lease 出租, equity 作价出资, mortgage 抵押融资,
    -- abs ABS, reits REITs, concession 特许经营, self_use 自用, other 其他.
    instrument         text NOT NULL DEFAULT 'other'
                       CHECK (instrument IN ('transfer_grant', 'transfer', 'lease', 'equity', 'mortgage', 'abs',
                                             'reits', 'concession', 'self_use', 'other')),
    holder             text NOT NULL DEFAULT '',
    responsible_unit   text NOT NULL DEFAULT '',
    responsible_person text NOT NULL DEFAULT '',
    planned_start      date,
    planned_end        date CHECK (planned_end IS NULL OR planned_start IS NULL OR planned_end >= planned_start),
    expected_benefit   numeric(16, 2) NOT NULL DEFAULT 0 CHECK (expected_benefit >= 0),
    description        text NOT NULL DEFAULT '',
    status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
    version            integer NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    deleted_at         timestamptz
);
CREATE UNIQUE INDEX projects_code_key ON projects (code) WHERE deleted_at IS NULL;
CREATE INDEX projects_unit_idx ON projects (unit_code, year);

-- Member assets. active mirrors the project (active and not deleted): an asset belongs to at
-- most one active project.
CREATE TABLE project_assets (
    project_id bigint NOT NULL REFERENCES projects (id),
    asset_id   bigint NOT NULL REFERENCES assets (id),
    active     boolean NOT NULL DEFAULT true,
    added_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, asset_id)
);
CREATE UNIQUE INDEX project_assets_one_active ON project_assets (asset_id) WHERE active;

-- A project's monthly report (盘活情况), one per project and month.
CREATE TABLE project_reports (
    id                bigserial PRIMARY KEY,
    project_id        bigint NOT NULL REFERENCES projects (id),
    month             date NOT NULL CHECK (extract(day FROM month) = 1),
    stage             text NOT NULL DEFAULT 'in_progress' CHECK (stage IN ('planned', 'in_progress', 'done')),
    quantity          numeric(16, 2) NOT NULL DEFAULT 0 CHECK (quantity >= 0),
    quantity_unit     text NOT NULL DEFAULT '亩',
    economic_benefit  numeric(16, 2) NOT NULL DEFAULT 0 CHECK (economic_benefit >= 0),
    social_benefit    text NOT NULL DEFAULT '',
    treasury_income   numeric(16, 2) NOT NULL DEFAULT 0 CHECK (treasury_income >= 0),
    fiscal_available  numeric(16, 2) NOT NULL DEFAULT 0 CHECK (fiscal_available >= 0),
    typical_case      text NOT NULL DEFAULT '',
    state             text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted', 'approved', 'returned')),
    return_reason     text NOT NULL DEFAULT '',
    submitted_at      timestamptz,
    submitted_by      bigint REFERENCES users (id),
    reviewed_at       timestamptz,
    reviewed_by       bigint REFERENCES users (id),
    version           integer NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT project_reports_fiscal CHECK (fiscal_available <= treasury_income),
    CONSTRAINT project_reports_returned CHECK (state <> 'returned' OR return_reason <> ''),
    UNIQUE (project_id, month)
);
CREATE INDEX project_reports_month_idx ON project_reports (month, state);

-- Append-only history of projects and their reports (report_id set for a report's events).
CREATE TABLE project_events (
    id         bigserial PRIMARY KEY,
    project_id bigint NOT NULL REFERENCES projects (id),
    report_id  bigint REFERENCES project_reports (id),
    action     text NOT NULL CHECK (action IN ('create', 'update', 'delete', 'restore', 'import', 'assets',
                                                'report', 'submit', 'approve', 'return')),
    user_id    bigint REFERENCES users (id),
    actor      text NOT NULL DEFAULT '',
    at         timestamptz NOT NULL DEFAULT now(),
    before     jsonb,
    after      jsonb,
    note       text NOT NULL DEFAULT ''
);
CREATE INDEX project_events_project_idx ON project_events (project_id, at);
CREATE TRIGGER project_events_append_only BEFORE UPDATE OR DELETE ON project_events
    FOR EACH ROW EXECUTE FUNCTION asset_events_append_only();

-- Yearly targets: 预期盘活效益 (万元) per region is targets' metric 'benefit'; per 工作领域 below.
ALTER TABLE targets DROP CONSTRAINT targets_metric_check;
ALTER TABLE targets ADD CONSTRAINT targets_metric_check
    CHECK (metric IN ('approved_unsupplied_share', 'idle_share', 'revenue', 'done_count', 'benefit'));

CREATE TABLE field_targets (
    year       integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    field      text NOT NULL CHECK (field = ANY (ledger_fields())),
    lead_unit  text NOT NULL DEFAULT '',
    partners   text NOT NULL DEFAULT '',
    tasks      text NOT NULL DEFAULT '',
    target     numeric(16, 2) NOT NULL CHECK (target >= 0),
    PRIMARY KEY (year, field)
);

-- Lease terms of an asset (also licences and concessions let to someone): tenant, term, rent.
CREATE TABLE asset_leases (
    id            bigserial PRIMARY KEY,
    asset_id      bigint NOT NULL REFERENCES assets (id),
    kind          text NOT NULL DEFAULT 'lease' CHECK (kind IN ('lease', 'concession')),
    tenant        text NOT NULL CHECK (tenant <> ''),
    start_date    date NOT NULL,
    end_date      date NOT NULL CHECK (end_date >= start_date),
    annual_rent   numeric(16, 2) NOT NULL DEFAULT 0 CHECK (annual_rent >= 0),
    rent_received numeric(16, 2) NOT NULL DEFAULT 0 CHECK (rent_received >= 0),
    note          text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    deleted_at    timestamptz
);
CREATE INDEX asset_leases_asset_idx ON asset_leases (asset_id);
CREATE INDEX asset_leases_end_idx ON asset_leases (end_date) WHERE deleted_at IS NULL;

-- 预警: what the evaluation found, one row per kind, subject and firing date. A warning stays
-- until the evaluation no longer finds it (cleared_at). region_code scopes who sees it.
CREATE TABLE warnings (
    id          bigserial PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('land_fee_due', 'land_recovery', 'licence_expiring', 'lease_expiring',
                                              'concession_expiring', 'idle_unassigned', 'report_missing',
                                              'building_vacant')),
    asset_id    bigint REFERENCES assets (id),
    project_id  bigint REFERENCES projects (id),
    region_code text,
    fires_on    date NOT NULL,
    detail      jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    cleared_at  timestamptz,
    CONSTRAINT warnings_subject CHECK (asset_id IS NOT NULL OR project_id IS NOT NULL)
);
CREATE UNIQUE INDEX warnings_open_key ON warnings (kind, coalesce(asset_id, 0), coalesce(project_id, 0), fires_on)
    WHERE cleared_at IS NULL;
CREATE INDEX warnings_open_idx ON warnings (kind, fires_on) WHERE cleared_at IS NULL;

-- Webhook deliveries of new warnings (ONEMAP_WEBHOOK_URL), retried until delivered.
CREATE TABLE webhook_deliveries (
    id           bigserial PRIMARY KEY,
    warning_id   bigint NOT NULL REFERENCES warnings (id),
    attempts     integer NOT NULL DEFAULT 0,
    next_at      timestamptz NOT NULL DEFAULT now(),
    last_error   text NOT NULL DEFAULT '',
    delivered_at timestamptz
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_at) WHERE delivered_at IS NULL;
