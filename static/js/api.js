// The server's API as the UI uses it: /api/v1 JSON, the tile URL template and the query strings
// built from the filter state (the same parameters for /assets, /stats, /export and tiles).
import { LIST_FILTERS } from './state.js';

/** ApiError carries the problem+json answer of a failed request. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** params turns filters (and extra key/values) into URLSearchParams, leaving out empty ones. */
export function params(filters, extra = {}) {
  const p = new URLSearchParams();
  if (filters) {
    for (const k of LIST_FILTERS) if (filters[k]?.length) p.set(k, filters[k].join(','));
    for (const k of ['min_area_mu', 'max_area_mu', 'q']) if (filters[k] !== '' && filters[k] != null) p.set(k, String(filters[k]).trim());
  }
  for (const [k, v] of Object.entries(extra)) if (v != null && v !== '') p.set(k, v);
  return p;
}

/** DATA_VERSION_EVENT is dispatched on window with the data version a change's answer carries. */
export const DATA_VERSION_EVENT = 'onemap:data-version';
let dataVersion = 0;

/** setDataVersion sets the data version tile URLs carry (see live.js). */
export function setDataVersion(v) { dataVersion = Number(v) || 0; }

let tileRegions = (codes) => codes;

/** setTileRegions sets how a region filter reaches the tiles (a city's code → its counties' codes; see province.js). */
export function setTileRegions(fn) { tileRegions = fn; }

let offlineTiles = null;

/** setOfflineTiles makes every tile come from an opened offline package (a pmtiles:// template), or again from the server (null). */
export function setOfflineTiles(template) { offlineTiles = template; }

/** tileURL is the composite tile template carrying the filters (all but kind, which layers switch) and the data version;
 * with an offline package open, that package's template (it holds the whole map, unfiltered). */
export function tileURL(filters) {
  if (offlineTiles) return offlineTiles;
  const p = params({ ...filters, kind: [], region: tileRegions(filters.region || []) });
  if (dataVersion) p.set('v', dataVersion);
  const q = p.toString();
  return `${location.origin}/tiles/onemap/{z}/{x}/{y}.mvt${q ? '?' + q : ''}`;
}

/** getJSON fetches a JSON document; a non-2xx answer throws an ApiError. */
export async function getJSON(path, query, opts = {}) {
  const url = query && String(query) ? `${path}?${query}` : path;
  const res = await fetch(url, { headers: { Accept: 'application/json' }, signal: opts.signal });
  if (!res.ok) {
    let problem = null;
    try { problem = await res.json(); } catch { /* not JSON: keep the status */ }
    throw new ApiError(res.status, problem);
  }
  return res.json();
}

/** sendJSON sends a JSON body (POST, PATCH) and returns the JSON answer; non-2xx throws an ApiError. */
export async function sendJSON(method, path, body) {
  const res = await fetch(path, { method, headers: { Accept: 'application/json', 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) {
    let problem = null;
    try { problem = await res.json(); } catch { /* not JSON: keep the status */ }
    throw new ApiError(res.status, problem);
  }
  const v = Number(res.headers.get('OneMap-Data-Version'));
  if (v) window.dispatchEvent(new CustomEvent(DATA_VERSION_EVENT, { detail: v }));
  return res.status === 204 ? null : res.json();
}

export const api = {
  config: () => getJSON('/api/v1/config'),
  tilejson: () => getJSON('/tiles/onemap.json'),
  regions: () => getJSON('/api/v1/regions'),
  // x easting, y northing (metres) in crs, a CGCS2000 Gauss-Krüger zone: {lon, lat} (tools/locate.js).
  transform: (x, y, crs) => getJSON('/api/v1/transform', new URLSearchParams({ x, y, crs })),
  zones: () => getJSON('/api/v1/zones'),
  patchAsset: (id, body) => sendJSON('PATCH', `/api/v1/assets/${encodeURIComponent(id)}`, body),
  asset: (id) => getJSON(`/api/v1/assets/${encodeURIComponent(id)}`),
  buffer: (id, radiusM) => getJSON(`/api/v1/assets/${encodeURIComponent(id)}/buffer`, new URLSearchParams({ radius_m: radiusM })),
  assets: (filters, extra, opts) => getJSON('/api/v1/assets', params(filters, extra), opts),
  zoneAssets: (code, extra, opts) => getJSON(`/api/v1/zones/${encodeURIComponent(code)}/assets`, params(null, extra), opts),
  progress: (year, opts) => getJSON('/api/v1/progress', new URLSearchParams({ year }), opts),
  leaderboard: (month, opts, level = 'county') => getJSON('/api/v1/leaderboard', new URLSearchParams({ month, level }), opts),
  stats: (groupBy, filters, opts) => getJSON('/api/v1/stats', params(filters, { group_by: groupBy }), opts),
};

/**
 * MARKS asks a list for every result (up to 10,000) as a point on its surface with the fields the
 * list shows: what marks results on the map where tiles draw grid cells (spatial queries, and
 * filters the overview cannot show). listOf turns such an answer into the list's shape.
 */
export const MARKS = { limit: 10000, format: 'geojson', geometry: 'center',
  properties: 'code,name,kind,region_code,region_name,area_mu,overlap_mu,overlap_share,book_value,mode,stage' };
export const listOf = (fc) => ({ items: fc.features.map((f) => f.properties), total: fc.numberMatched, totals: fc.totals, bbox: fc.bbox });

/** latest wraps an async loader so that only the newest call's result is delivered. */
export function latest(fn) {
  let ctrl;
  return async (...args) => {
    ctrl?.abort();
    ctrl = new AbortController();
    const mine = ctrl;
    try {
      const out = await fn(mine.signal, ...args);
      return mine.signal.aborted ? undefined : out;
    } catch (e) {
      if (mine.signal.aborted || e.name === 'AbortError') return undefined;
      throw e;
    }
  };
}

/** sendForm posts multipart/form-data (a check with its photo) and returns the JSON answer; non-2xx throws an ApiError. */
export async function sendForm(path, form) {
  const res = await fetch(path, { method: 'POST', headers: { Accept: 'application/json' }, body: form });
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
  return res.json();
}
