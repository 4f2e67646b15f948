-- A rough 1M-parcel city for measuring tiles when the demo city (onemap demo --parcels 1000000)
-- is not at hand. Run on a migrated, empty database:
--   psql "$URL" -v counties=internal/demo/data/xianning-counties.geojson -f scripts/bench-fixture.sql
-- 600k parcels lie on a jittered grid over the whole city and 400k crowd around the six county
-- seats (Gaussian, σ ≈ 5 km), so town tiles are dense: the worst case tiles must survive.
\set ON_ERROR_STOP on
\set geojson `cat :counties`
BEGIN;
INSERT INTO regions (code, name, level, parent_code, center, geom)
SELECT f->>'id', f->'properties'->>'name', 'county', '421200',
       ST_SetSRID(ST_MakePoint((f->'properties'->'cp'->>0)::float8, (f->'properties'->'cp'->>1)::float8), 4490),
       ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(f->>'geometry'), 4490))
FROM jsonb_array_elements(:'geojson'::jsonb->'features') f;

-- Two development zones per county, 3 km × 2 km, beside the county seat.
INSERT INTO zones (code, name, type, level, region_code, geom)
SELECT r.code || '-Z' || i, r.name || (ARRAY['高新区', '经开区'])[i],
       (ARRAY['high_tech_zone', 'development_zone'])[i], 'provincial', r.code,
       ST_Multi(ST_MakeEnvelope(ST_X(r.center) + (i - 1.5) * 0.04 - 0.015, ST_Y(r.center) - 0.01,
                                ST_X(r.center) + (i - 1.5) * 0.04 + 0.015, ST_Y(r.center) + 0.01, 4490))
FROM regions r, generate_series(1, 2) i;

CREATE TEMP TABLE seats AS SELECT row_number() OVER (ORDER BY code) AS n, ST_X(center) AS x, ST_Y(center) AS y FROM regions;

-- Parcel centres: a jittered 1000 × 600 grid, then Gaussian crowds (Box-Muller) around the seats.
CREATE TEMP TABLE centres AS
SELECT i, 113.7 + ((i % 1000) + random()) * 0.001 AS x, 29.0 + ((i / 1000) + random()) * (1.1 / 600) AS y,
       0.00025 + random() * 0.0004 AS r
FROM generate_series(0, 599999) i;
INSERT INTO centres
SELECT 600000 + i, s.x + 0.05 * sqrt(-2 * ln(1 - u1)) * cos(2 * pi() * u2),
       s.y + 0.045 * sqrt(-2 * ln(1 - u1)) * sin(2 * pi() * u2), 0.00012 + random() * 0.0002
FROM (SELECT i, 1 + i % 6 AS seat, random() AS u1, random() AS u2 FROM generate_series(0, 399999) i) g
JOIN seats s ON s.n = g.seat;

-- Each parcel an octagon-ish blob, stretched and turned.
INSERT INTO assets (code, kind, name, holder, mode, stage, land_status, land_class_system, land_class_code, geom)
SELECT 'L' || lpad(i::text, 7, '0'), 'land', '地块' || i,
       (ARRAY['咸宁城投', '赤壁国投', '嘉鱼城发', '通城城投', '崇阳城投', '通山国资'])[1 + i % 6],
       (ARRAY['use', 'sell', 'lease', 'finance', 'undecided'])[1 + (i * 7) % 5],
       (ARRAY['idle', 'planned', 'in_progress', 'done'])[1 + (i * 13) % 4],
       (ARRAY['approved_unsupplied', 'idle', 'inefficient', 'reserve', 'in_use'])[1 + (i * 3) % 5],
       'tdly2023', (ARRAY['0701', '1001', '0901', '1101', '0802'])[1 + (i * 11) % 5],
       ST_SetSRID(ST_Multi(ST_Translate(ST_Rotate(ST_Scale(ST_Buffer(ST_MakePoint(0, 0), r, 'quad_segs=2'), 1 + random(), 1),
                                       random() * pi()), x, y)), 4490)
FROM centres;

-- A few hundred of each other kind.
INSERT INTO assets (code, kind, name, holder, mode, stage, facts, geom)
SELECT 'M' || i, 'mine', '矿区' || i, '咸宁矿业', (ARRAY['use', 'sell', 'lease', 'finance', 'undecided'])[1 + i % 5],
       (ARRAY['idle', 'planned', 'in_progress', 'done'])[1 + i % 4],
       jsonb_build_object('right_type', (ARRAY['exploration', 'mining'])[1 + i % 2], 'mineral', (ARRAY['石灰岩', '萤石', '金'])[1 + i % 3]),
       ST_SetSRID(ST_Multi(ST_Buffer(ST_MakePoint(113.75 + random() * 0.9, 29.05 + random() * 1.0), 0.004, 'quad_segs=4')), 4490)
FROM generate_series(1, 300) i;
INSERT INTO assets (code, kind, name, holder, mode, stage, facts, geom)
SELECT 'F' || i, 'forest', '林场' || i, '咸宁林投', (ARRAY['use', 'lease', 'finance'])[1 + i % 3],
       (ARRAY['idle', 'planned', 'in_progress', 'done'])[1 + i % 4],
       jsonb_build_object('forest_type', (ARRAY['public_welfare', 'commercial'])[1 + i % 2], 'farm_name', '国有林场' || i),
       ST_SetSRID(ST_Multi(ST_Buffer(ST_MakePoint(113.75 + random() * 0.9, 29.05 + random() * 1.0), 0.015, 'quad_segs=8')), 4490)
FROM generate_series(1, 200) i;
INSERT INTO assets (code, kind, name, holder, mode, stage, facts, geom)
SELECT 'W' || i, 'water', '水库' || i, '咸宁水投', (ARRAY['use', 'lease', 'finance'])[1 + i % 3],
       (ARRAY['idle', 'planned', 'in_progress', 'done'])[1 + i % 4],
       jsonb_build_object('water_type', (ARRAY['lake', 'reservoir', 'river_section'])[1 + i % 3]),
       ST_SetSRID(ST_Multi(ST_Buffer(ST_MakePoint(113.75 + random() * 0.9, 29.05 + random() * 1.0), 0.01, 'quad_segs=8')), 4490)
FROM generate_series(1, 150) i;
INSERT INTO assets (code, kind, name, holder, mode, stage, facts, geom)
SELECT 'B' || i, 'building', '闲置房产' || i, '咸宁国资', (ARRAY['use', 'sell', 'lease', 'finance', 'undecided'])[1 + i % 5],
       (ARRAY['idle', 'planned', 'in_progress', 'done'])[1 + i % 4],
       jsonb_build_object('use', (ARRAY['office', 'factory', 'shop', 'school'])[1 + i % 4]),
       ST_SetSRID(ST_MakePoint(113.75 + random() * 0.9, 29.05 + random() * 1.0), 4490)
FROM generate_series(1, 400) i;
COMMIT;
VACUUM ANALYZE assets;
