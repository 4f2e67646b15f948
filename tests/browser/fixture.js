// A small deterministic demo city for the browser tests, written straight into a migrated
// database with SQL: the six Xianning counties, one development zone in each, and a few hundred
// assets of every kind with history. Used until `onemap demo` exists (harness.js prefers it).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const COUNTIES = path.join(here, '../../internal/demo/data/xianning-counties.geojson');

/** CODES are the 行政区划代码 of the Xianning counties. */
export const CODES = { 咸安区: '421202', 嘉鱼县: '421221', 通城县: '421222', 崇阳县: '421223', 通山县: '421224', 赤壁市: '421281' };
const ZONES = { 421202: '咸宁高新技术产业开发区', 421221: '嘉鱼经济开发区', 421222: '通城经济开发区', 421223: '崇阳经济开发区', 421224: '通山经济开发区', 421281: '赤壁高新技术产业开发区' };

const lit = (s) => `'${String(s).replace(/'/g, "''")}'`;

/** fixtureSQL returns the statements that fill the database. */
export function fixtureSQL() {
  const fc = JSON.parse(readFileSync(COUNTIES, 'utf8'));
  const regions = fc.features.map((f) => {
    const code = CODES[f.properties.name];
    const [x, y] = f.properties.cp;
    return `(${lit(code)}, ${lit(f.properties.name)}, 'county', '421200', ST_SetSRID(ST_MakePoint(${x}, ${y}), 4490), ` +
      `ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${lit(JSON.stringify(f.geometry))}), 4490)))`;
  });
  const zones = Object.entries(ZONES).map(([code, name]) => `(${lit(code)}, ${lit(name)})`);
  return `
BEGIN;
SELECT setseed(0.42);
INSERT INTO regions (code, name, level, parent_code, center, geom) VALUES
${regions.join(',\n')};

-- One square zone (about 5 km) per county around a point inside it.
INSERT INTO zones (code, name, type, level, region_code, geom)
SELECT 'Z' || r.code, z.name, CASE WHEN z.name LIKE '%高新%' THEN 'high_tech_zone' ELSE 'development_zone' END,
       'provincial', r.code, ST_Multi(ST_Expand(ST_PointOnSurface(r.geom), 0.025))
FROM regions r JOIN (VALUES ${zones.join(', ')}) AS z(code, name) ON z.code = r.code;

CREATE TEMP TABLE spots AS
SELECT r.code AS region_code, (ST_Dump(ST_GeneratePoints(r.geom, 40, 7))).geom AS p, 'county' AS src FROM regions r
UNION ALL
SELECT z.region_code, (ST_Dump(ST_GeneratePoints(z.geom, 14, 11))).geom, 'zone' FROM zones z;

CREATE TEMP TABLE seq AS
SELECT row_number() OVER (ORDER BY region_code, src, ST_X(p), ST_Y(p)) AS n, * FROM spots;

INSERT INTO assets (code, kind, name, holder, holder_type, book_value, appraised_value, mode, stage,
    responsible_unit, responsible_person, revenue, land_status, land_class_system, land_class_code,
    approval_no, approval_date, supply_method, supply_date, agreed_start, actual_start,
    developed_share, invested_share, idle_cause, facts, geom)
SELECT
  CASE k.kind WHEN 'land' THEN 'TD' WHEN 'mine' THEN 'KC' WHEN 'forest' THEN 'LC' WHEN 'water' THEN 'SY' ELSE 'FC' END
    || s.region_code || lpad(s.n::text, 4, '0'),
  k.kind,
  (SELECT name FROM regions WHERE code = s.region_code) ||
    CASE k.kind WHEN 'land' THEN (ARRAY['工业地块', '商住地块', '仓储地块', '物流用地'])[1 + s.n % 4]
      WHEN 'mine' THEN (ARRAY['石灰岩矿', '砂石矿', '萤石矿'])[1 + s.n % 3]
      WHEN 'forest' THEN '国有林场' WHEN 'water' THEN (ARRAY['水库', '湖泊'])[1 + s.n % 2]
      ELSE (ARRAY['原粮站', '原供销社', '闲置办公楼'])[1 + s.n % 3] END || s.n,
  (ARRAY['市城投集团', '县国资公司', '市交投集团', '县自然资源局'])[1 + s.n % 4],
  'state_owned_enterprise',
  round((50 + random() * 5000)::numeric, 2), round((80 + random() * 8000)::numeric, 2),
  (ARRAY['use', 'sell', 'lease', 'finance', 'undecided'])[1 + (s.n * 7) % 5],
  (ARRAY['idle', 'planned', 'in_progress', 'done'])[1 + (s.n * 3) % 4],
  (ARRAY['市国资委', '县自然资源和规划局', '县财政局'])[1 + s.n % 3],
  (ARRAY['张伟', '李娜', '王强', '刘洋', '陈静'])[1 + s.n % 5],
  CASE WHEN (s.n * 3) % 4 = 3 THEN round((random() * 800)::numeric, 2) ELSE 0 END,
  CASE WHEN k.kind = 'land' THEN
    CASE WHEN s.src = 'zone' THEN (ARRAY['idle', 'approved_unsupplied', 'in_use', 'inefficient'])[1 + s.n % 4]
         ELSE (ARRAY['approved_unsupplied', 'idle', 'inefficient', 'reserve', 'in_use'])[1 + s.n % 5] END END,
  CASE WHEN k.kind = 'land' THEN 'gbt21010_2017' END,
  CASE WHEN k.kind = 'land' THEN (ARRAY['0601', '0701', '0508', '1004'])[1 + s.n % 4] END,
  CASE WHEN k.kind = 'land' THEN '鄂政土批〔2021〕' || s.n || '号' END,
  CASE WHEN k.kind = 'land' THEN DATE '2021-03-01' + (s.n % 300)::int END,
  CASE WHEN k.kind = 'land' THEN '挂牌出让' END,
  CASE WHEN k.kind = 'land' THEN DATE '2021-09-01' + (s.n % 300)::int END,
  CASE WHEN k.kind = 'land' THEN DATE '2022-03-01' + (s.n % 400)::int END,
  CASE WHEN k.kind = 'land' AND s.n % 3 = 0 THEN DATE '2023-06-01' + (s.n % 200)::int END,
  CASE WHEN k.kind = 'land' AND s.n % 3 = 0 THEN 0.2 END,
  CASE WHEN k.kind = 'land' AND s.n % 3 = 0 THEN 0.15 END,
  CASE WHEN k.kind = 'land' THEN (ARRAY['enterprise', 'government'])[1 + s.n % 2] END,
  CASE k.kind
    WHEN 'mine' THEN jsonb_build_object('right_type', 'mining', 'mineral', '石灰岩', 'licence_no', 'C42120020' || s.n, 'valid_to', '2030-12-31', 'scale', 'small')
    WHEN 'forest' THEN jsonb_build_object('farm_name', '国有林场' || s.n, 'forest_type', 'public_welfare', 'main_species', '马尾松', 'stock_m3', 12000 + s.n)
    WHEN 'water' THEN jsonb_build_object('water_type', 'reservoir', 'capacity_wan_m3', 300 + s.n)
    WHEN 'building' THEN jsonb_build_object('floor_area_m2', 800 + s.n * 10, 'floors', 3, 'year_built', 1995, 'idle_since', '2021-01-01', 'title_status', 'certified')
    ELSE '{}'::jsonb END,
  CASE WHEN k.kind IN ('mine', 'building') THEN ST_Multi(ST_Buffer(s.p, 0.0012, 'quad_segs=2'))
       WHEN k.kind = 'forest' THEN ST_Multi(ST_Buffer(s.p, 0.012, 'quad_segs=3'))
       WHEN k.kind = 'water' THEN ST_Multi(ST_Buffer(s.p, 0.006, 'quad_segs=4'))
       ELSE ST_Multi(ST_Expand(s.p, 0.0012 + (s.n % 5) * 0.0004)) END
FROM seq s
CROSS JOIN LATERAL (SELECT CASE WHEN s.src = 'zone' THEN 'land'
    ELSE (ARRAY['land', 'land', 'land', 'land', 'mine', 'forest', 'water', 'building'])[1 + s.n % 8] END AS kind) k;

INSERT INTO asset_events (asset_id, action, actor, at, after, note)
SELECT id, 'create', '系统导入', now() - interval '200 days', jsonb_build_object('code', code, 'stage', 'idle', 'mode', 'undecided'), '初始台账'
FROM assets;
INSERT INTO asset_events (asset_id, action, actor, at, before, after, note)
SELECT id, 'update', '李娜', now() - interval '30 days', jsonb_build_object('stage', 'idle', 'mode', 'undecided'),
       jsonb_build_object('stage', stage, 'mode', mode), '月度更新'
FROM assets WHERE stage <> 'idle';
COMMIT;
`;
}
