-- Evaluates 预警 as of $1 (today, a date) with a horizon of $2 days: computes the set that holds
-- now (found), opens the ones not open yet (queueing a webhook delivery for each), refreshes the
-- region and detail of the ones still found, and clears the ones no longer found. fires_on is the
-- date the thing happens; dated kinds are found from $2 days ahead, and stay while overdue.
WITH land AS (
    -- 闲置土地处置办法 (internal/assets/idle.go): the clock starts at the agreed start, or at the
    -- actual start when work began on under a third of the land or a quarter of the money; land
    -- idle through the government's fault owes no fee and is not recovered; an analyst's
    -- override other than idle says it is not idle.
    SELECT a.id, a.region_code, a.code, a.name, round(a.area_mu::numeric, 2) AS area_mu,
           CASE WHEN a.actual_start IS NULL THEN a.agreed_start ELSE a.actual_start END AS base
    FROM assets a
    WHERE a.kind = 'land' AND a.deleted_at IS NULL AND a.agreed_start IS NOT NULL
      AND (a.actual_start IS NULL OR a.developed_share < 1.0 / 3 OR a.invested_share < 0.25)
      AND a.idle_cause IS DISTINCT FROM 'government'
      AND (a.idle_override IS NULL OR a.idle_override = 'idle')
), due AS (
    -- The month whose report is overdue: this month once its 25th has passed, else the last one.
    SELECT (date_trunc('month', $1::date)
            - CASE WHEN extract(day FROM $1::date) > 25 THEN interval '0' ELSE interval '1 month' END)::date AS month
), found AS (
    SELECT 'land_fee_due' AS kind, id AS asset_id, NULL::bigint AS project_id, region_code,
           (base + interval '1 year')::date AS fires_on,
           jsonb_build_object('code', code, 'name', name, 'since', base, 'area_mu', area_mu) AS detail
    FROM land WHERE base + interval '1 year' <= $1::date + $2::int
    UNION ALL
    SELECT 'land_recovery', id, NULL, region_code, (base + interval '2 years')::date,
           jsonb_build_object('code', code, 'name', name, 'since', base, 'area_mu', area_mu)
    FROM land WHERE base + interval '2 years' <= $1::date + $2::int
    UNION ALL
    SELECT 'licence_expiring', a.id, NULL, a.region_code, v.valid_to,
           jsonb_build_object('code', a.code, 'name', a.name, 'licence_no', coalesce(a.facts ->> 'licence_no', ''),
                              'right_type', coalesce(a.facts ->> 'right_type', ''))
    FROM assets a
    CROSS JOIN LATERAL (SELECT CASE WHEN a.facts ->> 'valid_to' ~ '^\d{4}-\d{2}-\d{2}$'
                                    THEN (a.facts ->> 'valid_to')::date END AS valid_to) v
    WHERE a.kind = 'mine' AND a.deleted_at IS NULL AND v.valid_to <= $1::date + $2::int
    UNION ALL
    -- A lease (or concession) runs out unless a later one of the same kind follows it.
    SELECT CASE l.kind WHEN 'lease' THEN 'lease_expiring' ELSE 'concession_expiring' END, a.id, NULL,
           a.region_code, l.end_date,
           jsonb_build_object('code', a.code, 'name', a.name, 'lease_id', l.id, 'tenant', l.tenant)
    FROM asset_leases l
    JOIN assets a ON a.id = l.asset_id AND a.deleted_at IS NULL
    WHERE l.deleted_at IS NULL AND l.end_date <= $1::date + $2::int
      AND NOT EXISTS (SELECT 1 FROM asset_leases n
                      WHERE n.asset_id = l.asset_id AND n.kind = l.kind AND n.deleted_at IS NULL
                        AND n.end_date > l.end_date)
    UNION ALL
    SELECT 'concession_expiring', NULL, p.id, u.region_code, p.planned_end,
           jsonb_build_object('code', p.code, 'name', p.name, 'unit_code', p.unit_code, 'unit_name', u.name)
    FROM projects p
    JOIN units u ON u.code = p.unit_code
    WHERE p.instrument = 'concession' AND p.status = 'active' AND p.deleted_at IS NULL
      AND p.planned_end <= $1::date + $2::int
    UNION ALL
    -- Idle and in no active project: fires on the day it was first found, kept while it holds.
    SELECT 'idle_unassigned', a.id, NULL, a.region_code, coalesce(o.fires_on, $1::date),
           jsonb_build_object('code', a.code, 'name', a.name, 'asset_kind', a.kind)
    FROM assets a
    LEFT JOIN warnings o ON o.kind = 'idle_unassigned' AND o.asset_id = a.id AND o.cleared_at IS NULL
    WHERE a.stage = 'idle' AND a.deleted_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM project_assets pa WHERE pa.asset_id = a.id AND pa.active)
    UNION ALL
    SELECT 'report_missing', NULL, p.id, u.region_code, (d.month + 24)::date,
           jsonb_build_object('code', p.code, 'name', p.name, 'unit_code', p.unit_code, 'unit_name', u.name,
                              'month', to_char(d.month, 'YYYY-MM'))
    FROM due d
    JOIN projects p ON p.year = extract(year FROM d.month) AND p.status = 'active' AND p.deleted_at IS NULL
    JOIN units u ON u.code = p.unit_code
    WHERE NOT EXISTS (SELECT 1 FROM project_reports r
                      WHERE r.project_id = p.id AND r.month = d.month AND r.state IN ('submitted', 'approved'))
    UNION ALL
    SELECT 'building_vacant', a.id, NULL, a.region_code, (s.since + interval '1 year')::date,
           jsonb_build_object('code', a.code, 'name', a.name, 'since', s.since)
    FROM assets a
    CROSS JOIN LATERAL (SELECT CASE WHEN a.facts ->> 'idle_since' ~ '^\d{4}-\d{2}-\d{2}$'
                                    THEN (a.facts ->> 'idle_since')::date END AS since) s
    WHERE a.kind = 'building' AND a.deleted_at IS NULL AND s.since + interval '1 year' < $1::date
), cur AS (
    -- key names a warning as the open key does (warnings_open_key), in one column: joined on its
    -- parts, the planner merges on (kind, fires_on) alone, and idle_unassigned share one day.
    SELECT DISTINCT ON (key) *
    FROM (SELECT f.*, f.kind || ':' || coalesce(f.asset_id, 0) || ':' || coalesce(f.project_id, 0) || ':' || f.fires_on AS key
          FROM found f) k
), open AS (
    SELECT w.id, w.region_code, w.detail,
           w.kind || ':' || coalesce(w.asset_id, 0) || ':' || coalesce(w.project_id, 0) || ':' || w.fires_on AS key
    FROM warnings w
    WHERE w.cleared_at IS NULL
), kept AS (
    UPDATE warnings w SET region_code = c.region_code, detail = c.detail
    FROM open o JOIN cur c ON c.key = o.key
    WHERE w.id = o.id AND (o.region_code IS DISTINCT FROM c.region_code OR o.detail <> c.detail)
    RETURNING w.id
), cleared AS (
    UPDATE warnings w SET cleared_at = now()
    FROM open o
    WHERE w.id = o.id AND NOT EXISTS (SELECT 1 FROM cur c WHERE c.key = o.key)
    RETURNING w.id
), added AS (
    INSERT INTO warnings (kind, asset_id, project_id, region_code, fires_on, detail)
    SELECT c.kind, c.asset_id, c.project_id, c.region_code, c.fires_on, c.detail
    FROM cur c
    WHERE NOT EXISTS (SELECT 1 FROM open o WHERE o.key = c.key)
    ON CONFLICT (kind, coalesce(asset_id, 0), coalesce(project_id, 0), fires_on) WHERE cleared_at IS NULL DO NOTHING
    RETURNING id
), queued AS (
    INSERT INTO webhook_deliveries (warning_id) SELECT id FROM added RETURNING id
)
SELECT (SELECT count(*) FROM added), (SELECT count(*) FROM cleared), (SELECT count(*) FROM kept),
       (SELECT count(*) FROM cur)
