// Export of the current result list. Signed in (planner, analyst, admin), filter and drawn-area
// lists come from the server's /api/v1/export (also Shapefile and GeoPackage); otherwise, and always
// for zone lists (whose overlap columns only the list has), XLSX, CSV or GeoJSON is built here.
import { t, label, date } from './i18n.js';
import { xlsx } from './xlsx.js';
import { api, params } from './api.js';
import { h } from './dom.js';

const COLUMNS = [
  ['code', 'f.code'], ['name', 'f.name'], ['kind', 'f.kind', (a) => label('kind', a.kind)],
  ['region_name', 'f.region', (a) => a.region_name || a.region_code || ''], ['zone_name', 'f.zone', (a) => a.zone_name || a.zone_code || ''],
  ['holder', 'f.holder'], ['responsible_unit', 'f.responsible_unit'], ['responsible_person', 'f.responsible_person'],
  ['area_mu', 'col.area_mu', (a) => round(a.area_mu)], ['area_m2', 'f.area', (a) => round(a.area_m2, 0)],
  ['overlap_mu', 'col.overlap_mu', (a) => round(a.overlap_mu)], ['overlap_share', 'col.overlap_share', (a) => round(a.overlap_share, 4)],
  ['book_value', 'col.book_value', (a) => numOrNull(a.book_value)], ['appraised_value', 'f.appraised_value', (a) => numOrNull(a.appraised_value)],
  ['mode', 'f.mode', (a) => label('mode', a.mode)], ['stage', 'f.stage', (a) => label('stage', a.stage)],
  ['land_status', 'f.land_status', (a) => landStatus(a) && label('land_status', landStatus(a))],
  ['revenue', 'f.revenue', (a) => numOrNull(a.revenue)], ['updated_at', 'f.updated_at', (a) => date(a.updated_at)],
];

const numOrNull = (v) => (v == null || v === '' ? null : Number(v));
const round = (v, d = 2) => (v == null ? null : Math.round(Number(v) * 10 ** d) / 10 ** d);
const landStatus = (a) => a.land?.land_status ?? a.land_status ?? null;

/** spatial tells the lists of a zone or drawn area, whose assets carry their overlap. */
export const spatial = (query) => query?.type === 'zone' || query?.type === 'draw';

function table(items, withOverlap) {
  const cols = COLUMNS.filter(([k]) => withOverlap || !k.startsWith('overlap'));
  const header = cols.map(([k, key]) => (k === 'area_m2' ? `${t(key)}（m²）` : t(key)));
  const rows = items.map((a) => cols.map(([k, , get]) => (get ? get(a) : a[k]) ?? ''));
  return { header, rows };
}

function csv({ header, rows }) {
  const q = (v) => (/[",\n\r]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  // A BOM so that Excel opens UTF-8 Chinese correctly.
  return new Blob(['\ufeff' + [header, ...rows].map((r) => r.map(q).join(',')).join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' });
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
  const res = await fetch(`/api/v1/export?${params(query.filters, { format, within: query.within })}`);
  if (!res.ok) {
    let problem = null;
    try { problem = await res.json(); } catch { /* not JSON: keep the status */ }
    throw new Error(problem?.detail || problem?.title || `HTTP ${res.status}`);
  }
  download(await res.blob(), fileName(res, `${base}.${format}`));
}

async function geometries(items) {
  const out = new Map();
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const a = items[next++];
      out.set(a.id, (await api.asset(a.id)).geometry);
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  return out;
}

function featureCollection(items, geoms) {
  return {
    type: 'FeatureCollection',
    features: items.map((a) => {
      const { geometry, events, ...props } = a; // eslint-disable-line no-unused-vars
      return { type: 'Feature', id: a.id, geometry: geoms.get(a.id) ?? geometry ?? null, properties: props };
    }),
  };
}

/**
 * exportList writes the list described by query ({type, title, filters, within, items?}) as
 * format ('xlsx' | 'csv' | 'geojson'; with server also 'shapefile' | 'gpkg'). server says the signed-in
 * user may use /api/v1/export; zone lists (whose overlap columns only the list has) and anonymous
 * visitors get files built here.
 */
export async function exportList(format, query, { server = false } = {}) {
  const base = `onemap-${query.type}-${stamp()}`;
  if (server && query.type !== 'zone') {
    await fromServer(format, query, base);
    return;
  }
  // A spatial query's list holds only the fields it shows; the file gets every field.
  let items = query.fetchFull ? await query.fetchFull() : query.items;
  if (!items) items = (await api.assets(query.filters, { within: query.within, limit: 10000, sort: 'code' })).items;
  if (format === 'geojson') {
    let geoms = new Map();
    if (query.type === 'zone') geoms = await geometries(items);
    else {
      const fc = await api.assets(query.filters, { within: query.within, limit: 10000, sort: 'code', format: 'geojson' });
      for (const f of fc.features) geoms.set(f.id ?? f.properties?.id, f.geometry);
    }
    const body = JSON.stringify(featureCollection(items, geoms));
    download(new Blob([body], { type: 'application/geo+json' }), `${base}.geojson`);
    return;
  }
  const tab = table(items, spatial(query));
  download(format === 'csv' ? csv(tab) : xlsx(query.title || 'OneMap', tab.header, tab.rows), `${base}.${format}`);
}
