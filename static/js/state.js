// The view's state — route, camera, basemap, visible layers, colouring, filters, selection — and its
// mirror in the URL hash, so that any view can be shared as a link:
//   #/map?c=114.32,29.84&z=9.5&l=land,mine&by=stage&stage=idle&region=421202&q=...
// A drawn query's area travels as qg= (shapecode.js).
import { encodeShape, decodeShape } from './shapecode.js';

export const KINDS = ['land', 'mine', 'forest', 'water', 'building'];
export const REFERENCE = ['zone', 'region'];
export const STAGES = ['idle', 'planned', 'in_progress', 'done'];
export const MODES = ['use', 'sell', 'lease', 'finance', 'undecided'];
export const LAND_STATUSES = ['approved_unsupplied', 'idle', 'inefficient', 'reserve', 'in_use'];
/** LIST_FILTERS are the filters holding comma lists; the tile URL takes every one but kind (a layer switch). */
export const LIST_FILTERS = ['kind', 'stage', 'mode', 'region', 'zone', 'land_status'];
export const TILE_FILTERS = ['stage', 'mode', 'region', 'zone', 'land_status'];
/** OVERVIEW_FILTERS are those the low-zoom land overview can show; under any other, the list's results are marked. */
export const OVERVIEW_FILTERS = ['kind', 'stage', 'mode', 'region', 'zone'];

export function emptyFilters() {
  return { kind: [], stage: [], mode: [], region: [], zone: [], land_status: [], min_area_mu: '', max_area_mu: '', q: '' };
}

/** state is the one store of the page; modules change it through set() so listeners hear of it. */
export const state = {
  route: 'map',
  center: null,
  zoom: null,
  basemap: '', // '' until basemap.js chooses the server's default (or the link's b=)
  basemapDefault: 'none',
  layers: new Set([...KINDS, ...REFERENCE]),
  colorBy: 'mode',
  filters: emptyFilters(),
  selected: null,
  zoneQuery: null, // {code, preset: 'idle'|'all', min_area_mu}
  hits: [], // ids of a spatial query's result, outlined on the map
  drawn: null, // the GeoJSON area of a drawn query (polygon, rectangle, circle, buffer)
  drawing: false, // a drawing tool is active: map clicks only draw (map.js wireInteraction)
  choropleth: 'off', // the county choropleth's measure (see choropleth.js)
  density: false, // the idle-land density layer is on (see density.js)
  // Assets a split or merge in flight retires: the live refresh that its commit sets off must not
  // ask for them again (they answer 404 once retired).
  retiring: new Set(),
};

/**
 * retire runs send, a split or merge that retires ids: they are marked first (the live refresh its
 * commit sets off may come before its answer) and stay marked once it succeeds.
 */
export async function retire(ids, send) {
  for (const id of ids) state.retiring.add(id);
  try {
    return await send();
  } catch (e) {
    for (const id of ids) state.retiring.delete(id);
    throw e;
  }
}

const listeners = {};

/** on registers fn for an event: 'filters', 'layers', 'colorBy', 'basemap', 'density', 'route', 'selected', 'lang'. */
export function on(evt, fn) { (listeners[evt] ||= []).push(fn); }

/** emit calls every listener of evt and then rewrites the URL. */
export function emit(evt, payload) {
  for (const fn of listeners[evt] || []) fn(payload);
  writeHash();
}

/** activeFilterCount counts the filters that narrow the set. */
export function activeFilterCount(f = state.filters) {
  let n = LIST_FILTERS.filter((k) => f[k].length).length;
  if (f.min_area_mu !== '' || f.max_area_mu !== '') n++;
  if (f.q) n++;
  return n;
}

/** readHash loads the state from location.hash (missing parts keep their defaults). */
export function readHash() {
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?');
  const p = new URLSearchParams(query);
  state.route = path === '/dashboard' ? 'dashboard' : 'map';
  const c = (p.get('c') || '').split(',').map(Number);
  if (c.length === 2 && c.every(Number.isFinite)) state.center = c;
  const z = Number(p.get('z'));
  if (p.has('z') && Number.isFinite(z)) state.zoom = z;
  state.basemap = p.get('b') || '';
  if (p.has('l')) state.layers = new Set(p.get('l').split(',').filter((x) => KINDS.includes(x) || REFERENCE.includes(x)));
  if (p.get('by') === 'stage' || p.get('by') === 'mode') state.colorBy = p.get('by');
  const f = emptyFilters();
  for (const k of LIST_FILTERS) if (p.get(k)) f[k] = p.get(k).split(',');
  for (const k of ['min_area_mu', 'max_area_mu', 'q']) if (p.get(k)) f[k] = p.get(k);
  state.filters = f;
  state.selected = p.get('a') ? Number(p.get('a')) : null;
  state.choropleth = p.get('ch') || 'off';
  state.density = p.get('dn') === '1';
  state.zoneQuery = p.get('qz') ? { code: p.get('qz'), preset: p.get('qp') || 'idle', min_area_mu: p.get('qm') || '' } : null;
  state.drawn = null;
  try { if (p.get('qg') && !state.zoneQuery) state.drawn = decodeShape(p.get('qg')); } catch { /* a damaged link: no drawn query */ }
  return state;
}

/** hashFor renders the state as a URL hash. */
export function hashFor(s = state) {
  const p = new URLSearchParams();
  if (s.center) p.set('c', s.center.map((v) => v.toFixed(5)).join(','));
  if (s.zoom != null) p.set('z', s.zoom.toFixed(2));
  if (s.basemap && s.basemap !== s.basemapDefault) p.set('b', s.basemap);
  const all = [...KINDS, ...REFERENCE];
  if (all.some((k) => !s.layers.has(k))) p.set('l', all.filter((k) => s.layers.has(k)).join(','));
  if (s.colorBy !== 'mode') p.set('by', s.colorBy);
  for (const k of LIST_FILTERS) if (s.filters[k].length) p.set(k, s.filters[k].join(','));
  for (const k of ['min_area_mu', 'max_area_mu', 'q']) if (s.filters[k] !== '') p.set(k, s.filters[k]);
  if (s.selected) p.set('a', s.selected);
  if (s.choropleth && s.choropleth !== 'off') p.set('ch', s.choropleth);
  if (s.density) p.set('dn', '1');
  if (s.zoneQuery) {
    p.set('qz', s.zoneQuery.code);
    p.set('qp', s.zoneQuery.preset);
    if (s.zoneQuery.min_area_mu) p.set('qm', s.zoneQuery.min_area_mu);
  } else if (s.drawn) {
    p.set('qg', encodeShape(s.drawn));
  }
  const q = p.toString();
  return `#/${s.route}${q ? '?' + q : ''}`;
}

let lastWritten = '';

/** writeHash puts the state in the URL without adding a history entry per map move. */
export function writeHash() {
  const h = hashFor();
  if (h === location.hash) return;
  lastWritten = h;
  history.replaceState(null, '', h);
}

/** isOwnHash tells a hashchange we caused from one the user made (back button, pasted link). */
export function isOwnHash() { return location.hash === lastWritten; }
