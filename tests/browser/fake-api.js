// A stand-in for the parts of the OneMap API contract the server of this branch may not have yet
// (tiles, /api/v1/assets, zones, regions, stats), answered from the same PostGIS database.
// It is a gap filler for developing the UI, never the thing under test: it runs only with
// ONEMAP_UI_FAKE_API=1, proxies every request to the real server first, and answers itself only
// where the real server says 404. Each route it fills is logged, so a run shows what was faked.
import http from 'node:http';
import pg from 'pg';

const KINDS = ['land', 'mine', 'forest', 'water', 'building'];
const ALLOWED = {
  kind: new Set(KINDS), stage: new Set(['idle', 'planned', 'in_progress', 'done']),
  mode: new Set(['use', 'sell', 'lease', 'finance', 'undecided']),
  land_status: new Set(['approved_unsupplied', 'idle', 'inefficient', 'reserve', 'in_use']),
};
const SORTS = { area_mu: 'a.area_mu', '-area_mu': 'a.area_mu DESC', code: 'a.code', name: 'a.name', book_value: 'a.book_value', '-book_value': 'a.book_value DESC', '-code': 'a.code DESC', '-name': 'a.name DESC' };
const GROUPS = { region: ['a.region_code', 'r.name'], kind: ['a.kind'], mode: ['a.mode'], stage: ['a.stage'], zone: ['a.zone_code'] };

class BadRequest extends Error {}

const list = (q, name) => (q.get(name) || '').split(',').map((s) => s.trim()).filter(Boolean);

/** where turns the asset filters of a query string into SQL conditions with $n arguments. */
function where(q, args) {
  const conds = ['a.deleted_at IS NULL'];
  const add = (sql, v) => { args.push(v); conds.push(sql.replace('$?', `$${args.length}`)); };
  for (const [name, col] of [['kind', 'a.kind'], ['stage', 'a.stage'], ['mode', 'a.mode'], ['region', 'a.region_code'], ['zone', 'a.zone_code'], ['land_status', 'a.land_status']]) {
    const v = list(q, name);
    if (!v.length) continue;
    if (ALLOWED[name] && v.some((x) => !ALLOWED[name].has(x))) throw new BadRequest(name);
    add(`${col} = ANY($?::text[])`, v);
  }
  for (const [name, op] of [['min_area_mu', '>='], ['max_area_mu', '<=']]) {
    if (!q.get(name)) continue;
    const n = Number(q.get(name));
    if (!Number.isFinite(n)) throw new BadRequest(name);
    add(`a.area_mu ${op} $?`, n);
  }
  if (q.get('q')) {
    args.push(`%${q.get('q')}%`);
    conds.push(`(a.name ILIKE $${args.length} OR a.code ILIKE $${args.length})`);
  }
  if (q.get('within')) add('ST_Intersects(a.geom, ST_SetSRID(ST_GeomFromGeoJSON($?), 4490))', q.get('within'));
  return conds.join(' AND ');
}

const ASSET_JSON = `
  (to_jsonb(a) - 'geom' - 'geom_3857' - 'land_status' - 'land_class_system' - 'land_class_code' - 'approval_no'
     - 'approval_date' - 'supply_method' - 'supply_date' - 'agreed_start' - 'actual_start' - 'developed_share'
     - 'invested_share' - 'idle_cause' - 'idle_override' - 'idle_override_reason' - 'deleted_at' - 'import_id')
  || jsonb_build_object('region_name', r.name, 'zone_name', z.name, 'book_value', a.book_value::float8,
     'appraised_value', a.appraised_value::float8, 'revenue', a.revenue::float8)
  || CASE WHEN a.kind = 'land' THEN jsonb_build_object('land', jsonb_build_object(
     'land_status', a.land_status, 'land_class_system', a.land_class_system, 'land_class_code', a.land_class_code,
     'approval_no', a.approval_no, 'approval_date', a.approval_date, 'supply_method', a.supply_method,
     'supply_date', a.supply_date, 'agreed_start', a.agreed_start, 'actual_start', a.actual_start,
     'developed_share', a.developed_share, 'invested_share', a.invested_share, 'idle_cause', a.idle_cause,
     'idle_assessment', jsonb_build_object('idle', a.land_status = 'idle', 'days_overdue',
        GREATEST(0, current_date - (a.agreed_start + 365)), 'fee_due', a.land_status = 'idle',
        'recoverable', false, 'basis', '（测试替身）', 'overridden', false))) ELSE '{}'::jsonb END`;
const FROM = 'assets a LEFT JOIN regions r ON r.code = a.region_code LEFT JOIN zones z ON z.code = a.zone_code';

async function assets(db, q) {
  const args = [];
  const w = where(q, args);
  const limit = Math.min(Number(q.get('limit') || 100), 10000);
  const offset = Number(q.get('offset') || 0);
  const sort = SORTS[q.get('sort') || 'code'];
  if (!sort || !Number.isInteger(limit) || !Number.isInteger(offset)) throw new BadRequest('sort/limit/offset');
  const geo = q.get('format') === 'geojson';
  const rows = await db.query(`SELECT ${ASSET_JSON} AS j ${geo ? ', ST_AsGeoJSON(a.geom)::json AS g' : ''} FROM ${FROM}
    WHERE ${w} ORDER BY ${sort}, a.id LIMIT ${limit} OFFSET ${offset}`, args);
  const tot = await db.query(`SELECT count(*)::int AS count, coalesce(sum(a.area_mu), 0) AS area_mu,
    coalesce(sum(a.book_value), 0)::float8 AS book_value FROM ${FROM} WHERE ${w}`, args);
  if (geo) {
    return { type: 'FeatureCollection', numberMatched: tot.rows[0].count,
      features: rows.rows.map((r) => ({ type: 'Feature', id: r.j.id, geometry: r.g, properties: r.j })) };
  }
  return { total: tot.rows[0].count, limit, offset, items: rows.rows.map((r) => r.j), totals: tot.rows[0] };
}

async function asset(db, id) {
  const r = await db.query(`SELECT ${ASSET_JSON} || jsonb_build_object('geometry', ST_AsGeoJSON(a.geom)::jsonb) AS j
    FROM ${FROM} WHERE a.id = $1 AND a.deleted_at IS NULL`, [id]);
  if (!r.rows.length) return null;
  const ev = await db.query('SELECT id, action, actor, at, before, after, note FROM asset_events WHERE asset_id = $1 ORDER BY at', [id]);
  return { ...r.rows[0].j, events: ev.rows };
}

const BBOX = 'ARRAY[ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)]';

async function zoneAssets(db, code, q) {
  const z = await db.query(`SELECT code, name, type, level, region_code, area_mu, ${BBOX} AS bbox FROM zones WHERE code = $1`, [code]);
  if (!z.rows.length) return null;
  const args = [code];
  const w = where(q, args);
  const rows = await db.query(`SELECT ${ASSET_JSON} || jsonb_build_object(
      'overlap_mu', ST_Area(ST_Intersection(a.geom, zz.geom)::geography) * 0.0015,
      'overlap_share', CASE WHEN a.area_m2 > 0 THEN ST_Area(ST_Intersection(a.geom, zz.geom)::geography) / a.area_m2 ELSE 1 END) AS j
    FROM ${FROM} JOIN zones zz ON zz.code = $1 AND ST_Intersects(a.geom, zz.geom) WHERE ${w} ORDER BY a.code`, args);
  const items = rows.rows.map((r) => r.j);
  const sum = (k) => items.reduce((s, a) => s + (Number(a[k]) || 0), 0);
  return { zone: z.rows[0], items, totals: { count: items.length, area_mu: sum('area_mu'), overlap_mu: sum('overlap_mu'), book_value: sum('book_value') } };
}

async function stats(db, q) {
  const by = list(q, 'group_by');
  if (by.some((g) => !GROUPS[g])) throw new BadRequest('group_by');
  const cols = by.flatMap((g) => GROUPS[g]);
  const names = by.flatMap((g) => (g === 'region' ? ['region_code', 'region_name'] : [g === 'zone' ? 'zone_code' : g]));
  const args = [];
  const w = where(q, args);
  const agg = `count(*)::int AS count, coalesce(sum(a.area_mu), 0) AS area_mu, coalesce(sum(a.book_value), 0)::float8 AS book_value,
    coalesce(sum(a.appraised_value), 0)::float8 AS appraised_value, coalesce(sum(a.revenue), 0)::float8 AS revenue`;
  const sel = cols.map((c, i) => `${c} AS ${names[i]}`).join(', ');
  const groups = by.length ? (await db.query(`SELECT ${sel}, ${agg} FROM ${FROM} WHERE ${w} GROUP BY ${cols.join(', ')} ORDER BY ${cols.join(', ')}`, args)).rows : [];
  const totals = (await db.query(`SELECT ${agg} FROM ${FROM} WHERE ${w}`, args)).rows[0];
  return { groups, totals };
}

const TILE_PROPS = 'a.id, a.code, a.name, a.kind, a.stage, a.mode, a.area_mu, a.region_code, a.zone_code, a.holder, a.land_status';

async function tile(db, z, x, y, q) {
  const args = [z, x, y];
  const w = where(new URLSearchParams([...q].filter(([k]) => ['stage', 'mode', 'region', 'zone'].includes(k))), args);
  const parts = KINDS.map((k) => `(SELECT ST_AsMVT(t, '${k}', 4096, 'geom') FROM (SELECT ${TILE_PROPS},
      ST_AsMVTGeom(a.geom_3857, env.e, 4096, 64) AS geom FROM assets a, env
      WHERE a.kind = '${k}' AND a.geom_3857 && env.e AND ${w}) t)`);
  const sql = `WITH env AS (SELECT ST_TileEnvelope($1, $2, $3) AS e)
    SELECT ${parts.join(' || ')}
    || (SELECT ST_AsMVT(t, 'zone', 4096, 'geom') FROM (SELECT code, name, type, region_code, ST_AsMVTGeom(geom_3857, env.e, 4096, 64) AS geom FROM zones, env WHERE geom_3857 && env.e) t)
    || (SELECT ST_AsMVT(t, 'region', 4096, 'geom') FROM (SELECT code, name, ST_AsMVTGeom(geom_3857, env.e, 4096, 64) AS geom FROM regions, env WHERE geom_3857 && env.e) t) AS mvt`;
  return (await db.query(sql, args)).rows[0].mvt;
}

async function route(db, url, origin) {
  const q = url.searchParams;
  const p = url.pathname;
  let m;
  if (p === '/tiles/onemap.json') {
    const b = (await db.query('SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom) e FROM regions) x')).rows[0];
    return { json: { tilejson: '3.0.0', tiles: [`${origin}/tiles/onemap/{z}/{x}/{y}.mvt`], minzoom: 0, maxzoom: 16,
      bounds: Object.values(b).map(Number), vector_layers: [...KINDS, 'zone', 'region'].map((id) => ({ id, fields: {} })) } };
  }
  if ((m = p.match(/^\/tiles\/onemap\/(\d+)\/(\d+)\/(\d+)\.mvt$/))) return { mvt: await tile(db, +m[1], +m[2], +m[3], q) };
  if (p === '/api/v1/assets') return { json: await assets(db, q) };
  if ((m = p.match(/^\/api\/v1\/assets\/(\d+)$/))) return { json: await asset(db, +m[1]) };
  if (p === '/api/v1/zones') return { json: (await db.query(`SELECT code, name, type, level, region_code, area_mu, ${BBOX} AS bbox FROM zones ORDER BY code`)).rows };
  if (p === '/api/v1/regions') {
    return { json: (await db.query(`SELECT code, name, level, area_m2 * 0.0015 AS area_mu, ${BBOX} AS bbox,
      ARRAY[ST_X(center), ST_Y(center)] AS center FROM regions ORDER BY code`)).rows };
  }
  if ((m = p.match(/^\/api\/v1\/zones\/([^/]+)\/assets$/))) return { json: await zoneAssets(db, decodeURIComponent(m[1]), q) };
  if (p === '/api/v1/stats') return { json: await stats(db, q) };
  return null;
}

/** startFake serves on 127.0.0.1 in front of the real server at upstream; returns {url, filled, close}. */
export async function startFake({ upstream, databaseURL, log = () => {} }) {
  const db = new pg.Pool({ connectionString: databaseURL, max: 4 });
  const filled = new Set();
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const up = await fetch(upstream + req.url, { method: req.method, headers: { 'accept-encoding': 'identity', accept: req.headers.accept || '*/*' } });
    if (up.status !== 404) {
      const body = Buffer.from(await up.arrayBuffer());
      const headers = {};
      for (const [k, v] of up.headers) if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(k)) headers[k] = v;
      res.writeHead(up.status, headers).end(body);
      return;
    }
    try {
      const out = await route(db, url, `http://${req.headers.host}`);
      if (!out || out.json === null) {
        res.writeHead(404, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ status: 404, title: 'Not Found' }));
        return;
      }
      const key = url.pathname.replace(/\d+/g, 'N');
      if (!filled.has(key)) { filled.add(key); log(`fake-api: filled ${key}`); }
      if (out.mvt !== undefined) {
        if (!out.mvt?.length) res.writeHead(204).end();
        else res.writeHead(200, { 'content-type': 'application/vnd.mapbox-vector-tile' }).end(out.mvt);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out.json));
    } catch (e) {
      const bad = e instanceof BadRequest;
      res.writeHead(bad ? 400 : 500, { 'content-type': 'application/problem+json' })
        .end(JSON.stringify({ status: bad ? 400 : 500, title: bad ? 'Invalid parameter' : 'fake-api error', detail: e.message }));
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    filled,
    close: async () => { await new Promise((r) => server.close(r)); await db.end(); },
  };
}
