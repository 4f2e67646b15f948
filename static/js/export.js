// Export of the current result list: one table whoever exports. Its columns (Chinese headers,
// value labels, decimals, the CGCS2000 centre) are the server's own (GET /api/v1/export/columns),
// the definition /api/v1/export writes with. Signed in (planner, analyst, admin), filter and
// drawn-area lists come from /api/v1/export (also Shapefile and GeoPackage); otherwise, and for
// zone lists (whose overlap only the zone list has), XLSX, CSV or GeoJSON is built here from the
// list API in one GeoJSON request with every field and geometry (paged only beyond PAGE).
import { getJSON, api, params } from './api.js';
import { workbook } from './xlsx.js';
import { h } from './dom.js';

/** PAGE is how many features one request of the list API brings (its own cap). */
export const PAGE = 10000;
// The order of kinds the server writes (sheets, rows): assets.Kinds.
const KINDS = ['land', 'mine', 'forest', 'water', 'building'];

/** spatial tells the lists of a zone or drawn area, whose assets carry their overlap. */
export const spatial = (query) => query?.type === 'zone' || query?.type === 'draw';

let defs = null;
/** columnDefs fetches the table definitions once: {columns, spatial, wkt}. */
function columnDefs() {
  defs ??= getJSON('/api/v1/export/columns').catch((e) => { defs = null; throw e; });
  return defs;
}

const round = (v, d) => (d == null ? v : Math.round(v * 10 ** d) / 10 ** d);

/** field reads a column's value from a list feature's properties (land facts sit in land). */
function field(p, name) {
  switch (name) {
    case 'center_lon': return p.center?.[0];
    case 'center_lat': return p.center?.[1];
    case 'facts': return p.facts && Object.keys(p.facts).length ? JSON.stringify(p.facts) : null;
  }
  return name in p ? p[name] : p.land?.[name];
}

/** cellOf is one cell as the server writes it: a number, a string, or null for an empty cell. */
function cellOf(p, c) {
  const v = field(p, c.name);
  if (v == null || v === '') return null;
  if (typeof v === 'number') return round(v, c.digits);
  return c.values?.[v] ?? String(v);
}

/** features fetches a list's every feature with geometry: one request, paged beyond PAGE. */
export async function features(query) {
  const page = query.fetchFeatures
    || ((p) => api.assets(query.filters, { within: query.within, ids: query.ids, ...p, format: 'geojson' }));
  const out = [];
  for (let offset = 0; ; offset += PAGE) {
    const fc = await page({ limit: PAGE, offset: offset || null, sort: 'id' });
    out.push(...fc.features);
    if (!fc.features.length || out.length >= (fc.numberMatched ?? 0)) break;
  }
  const kind = (f) => KINDS.indexOf(f.properties.kind);
  const id = (f) => f.id ?? f.properties.id;
  return out.sort((a, b) => kind(a) - kind(b) || id(a) - id(b));
}

/** table lays features out along the server's columns: {header, rows, kinds}. */
async function table(list, withOverlap) {
  const d = await columnDefs();
  const cols = withOverlap ? d.spatial : d.columns;
  return {
    cols,
    header: cols.map((c) => c.label),
    rows: list.map((f) => cols.map((c) => cellOf(f.properties, c))),
    kindLabel: (k) => cols.find((c) => c.name === 'kind')?.values?.[k] ?? k,
  };
}

function csv({ header, rows }) {
  const text = (v) => (v == null ? '' : String(v));
  const q = (v) => (/[",\n\r]/.test(text(v)) ? `"${text(v).replace(/"/g, '""')}"` : text(v));
  // A BOM so that Excel opens UTF-8 Chinese correctly.
  return new Blob(['\ufeff' + [header, ...rows].map((r) => r.map(q).join(',')).join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' });
}

/** sheets splits the rows into one sheet per kind that has rows, as the server does. */
function sheets(tab, list) {
  const out = new Map();
  list.forEach((f, i) => {
    const name = tab.kindLabel(f.properties.kind);
    if (!out.has(name)) out.set(name, []);
    out.get(name).push(tab.rows[i]);
  });
  if (!out.size) out.set('资产', []);
  return [...out].map(([name, rows]) => ({ name, header: tab.header, rows }));
}

function geojson(tab, list) {
  return {
    type: 'FeatureCollection',
    features: list.map((f, i) => {
      const properties = {};
      tab.cols.forEach((c, j) => { if (tab.rows[i][j] != null) properties[c.label] = tab.rows[i][j]; });
      return { type: 'Feature', id: f.id ?? f.properties.id, properties, geometry: f.geometry };
    }),
  };
}

/** download hands a blob to the browser as a file. */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function stamp() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}`;
}

function fileName(res, fallback) {
  const cd = res.headers.get('Content-Disposition') || '';
  const m = /filename\*=UTF-8''([^;]+)/i.exec(cd) || /filename="?([^";]+)"?/i.exec(cd);
  return m ? decodeURIComponent(m[1]) : fallback;
}

/** fromServer downloads the list from /api/v1/export (signed-in planners, analysts and admins). */
async function fromServer(format, query, base) {
  const res = await fetch(`/api/v1/export?${params(query.filters, { format, within: query.within, ids: query.ids })}`);
  if (!res.ok) {
    let problem = null;
    try { problem = await res.json(); } catch { /* not JSON: keep the status */ }
    throw new Error(problem?.detail || problem?.title || `HTTP ${res.status}`);
  }
  download(await res.blob(), fileName(res, `${base}.${format}`));
}

/**
 * exportList writes the list described by query ({type, title, filters, within, ids?, fetchFeatures?})
 * as format ('xlsx' | 'csv' | 'geojson'; with server also 'shapefile' | 'gpkg'). server says the
 * signed-in user may use /api/v1/export; zone lists and anonymous visitors get files built here.
 */
export async function exportList(format, query, { server = false } = {}) {
  const base = `onemap-${query.type}-${stamp()}`;
  if (server && query.type !== 'zone') {
    await fromServer(format, query, base);
    return;
  }
  const list = await features(query);
  const tab = await table(list, spatial(query));
  if (format === 'geojson') {
    download(new Blob([JSON.stringify(geojson(tab, list))], { type: 'application/geo+json' }), `${base}.geojson`);
  } else if (format === 'csv') {
    download(csv(tab), `${base}.csv`);
  } else {
    download(workbook(sheets(tab, list)), `${base}.xlsx`);
  }
}
