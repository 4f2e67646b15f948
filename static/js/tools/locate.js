// 定位: go to a place typed in one box — CGCS2000 lon/lat in decimal degrees or 度分秒, a
// Gauss-Krüger coordinate (an 8-digit easting carries its zone; a 6-digit one takes the zone
// chosen beside the box; the server's /transform projects it), or an asset code, holder, zone or
// county name (the existing searches). The map flies there and leaves a marker. Also the pointer
// readout: CGCS2000 lon/lat and the 3° zone's X/Y under the cursor (the map's centre on a phone).
import { api } from '../api.js';
import { h, toast } from '../dom.js';
import { t, addWords } from '../i18n.js';
import { toGK, zone3 } from './geodesy.js';
import { on } from '../state.js';

addWords('zh', {
  'locate.btn': '定位', 'locate.title': '坐标定位', 'locate.go': '定位', 'locate.zone': '3°带号',
  'locate.placeholder': '经纬度、度分秒、高斯坐标，或资产编号、持有人、园区、县区名',
  'locate.help': '如 114.32, 29.84 · 114°19\'12.5"E 29°50\'30"N · X 3302608 Y 38530934（8 位 Y 含带号；6 位 Y 用所选带号）',
  'locate.none': '没有找到“{q}”', 'locate.bad': '看不懂这个坐标', 'locate.asset': '资产', 'locate.region': '县区', 'locate.zoneKind': '园区',
  'locate.clear': '清除标记', 'readout.title': '光标位置', 'readout.zone': '{zone}带',
});
addWords('en', {
  'locate.btn': 'Go to', 'locate.title': 'Go to a place', 'locate.go': 'Go', 'locate.zone': '3° zone',
  'locate.placeholder': 'Lon/lat, DMS, Gauss-Krüger x/y, or asset code, holder, zone or county',
  'locate.help': 'e.g. 114.32, 29.84 · 114°19\'12.5"E 29°50\'30"N · X 3302608 Y 38530934 (an 8-digit Y carries its zone; a 6-digit Y takes the chosen zone)',
  'locate.none': 'Nothing found for “{q}”', 'locate.bad': 'Not a coordinate I can read', 'locate.asset': 'Asset', 'locate.region': 'County', 'locate.zoneKind': 'Zone',
  'locate.clear': 'Clear marker', 'readout.title': 'Pointer', 'readout.zone': 'zone {zone}',
});

const DMS = /([东西南北][经纬])?\s*(\d+(?:\.\d+)?)\s*[°度]\s*(?:(\d+(?:\.\d+)?)\s*['′’分]\s*)?(?:(\d+(?:\.\d+)?)\s*(?:["″”]|''|秒)\s*)?([NSEWnsew])?/g;

/** dmsValue reads one 度分秒 match: {v, axis: 'lon' | 'lat' | null}. */
function dmsValue([, cn, d, m, s, hemi]) {
  let v = Number(d) + Number(m || 0) / 60 + Number(s || 0) / 3600;
  const side = (hemi || '').toUpperCase() || (cn ? { 东: 'E', 西: 'W', 南: 'S', 北: 'N' }[cn[0]] : '');
  if (side === 'W' || side === 'S') v = -v;
  return { v, axis: side === 'E' || side === 'W' ? 'lon' : side === 'N' || side === 'S' ? 'lat' : null };
}

/** lonLat orders two degree values: named axes first, else the one beyond ±90 is the longitude. */
function lonLat(a, b) {
  if (a.axis === 'lat' || b.axis === 'lon' || (!a.axis && !b.axis && Math.abs(a.v) <= 90 && Math.abs(b.v) > 90)) [a, b] = [b, a];
  if (Math.abs(a.v) > 180 || Math.abs(b.v) > 90) return null;
  return { kind: 'lonlat', lon: a.v, lat: b.v };
}

/** gkCRS names the EPSG code of a CGCS2000 GK zone: prefixed (3° 25–45, 6° 13–23) or 3° unprefixed. */
export function gkCRS(zone, prefixed) {
  if (prefixed && zone >= 25 && zone <= 45) return `EPSG:${4513 + zone - 25}`;
  if (prefixed && zone >= 13 && zone <= 23) return `EPSG:${4491 + zone - 13}`;
  if (!prefixed && zone >= 25 && zone <= 45) return `EPSG:${4534 + zone - 25}`;
  return null;
}

/** gk reads two projected numbers: the northing has 7 digits, the easting 8 (with its zone) or 6. */
function gk(a, b, zone) {
  const [east, north] = a >= 1e7 || (a < 1e6 && b >= 1e6) ? [a, b] : [b, a];
  const prefixed = east >= 1e7;
  const crs = gkCRS(prefixed ? Math.floor(east / 1e6) : zone, prefixed);
  if (!crs || north < 1e5 || north >= 1e7) return null;
  return { kind: 'gk', x: east, y: north, crs };
}

/**
 * parseCoords reads a coordinate typed into the box: {kind: 'lonlat', lon, lat}, {kind: 'gk', x
 * (easting), y (northing), crs}, null when it is numbers but no coordinate, undefined for text.
 */
export function parseCoords(text, zone) {
  const s = text.trim();
  const dms = [...s.matchAll(DMS)];
  if (dms.length === 2) return lonLat(dmsValue(dms[0]), dmsValue(dms[1]));
  if (!/^[\sXYxyENen:=：,，;()（）.\d+-]+$/.test(s)) return undefined;
  const nums = (s.match(/-?\d+(?:\.\d+)?/g) || []).map(Number);
  if (nums.length !== 2) return null;
  const [a, b] = nums;
  if (Math.abs(a) <= 180 && Math.abs(b) <= 180) return lonLat({ v: a }, { v: b });
  if (Math.min(a, b) < 1000) return null;
  return gk(a, b, zone);
}

/** LocateTool is the 定位 button, its box, the marker it leaves and the pointer readout. */
export class LocateTool {
  constructor(map, { onAsset } = {}) {
    this.map = map;
    this.onAsset = onAsset;
    this.marker = null;
    this.places = null; // regions and zones, fetched on the first text search
    this.box = this.form();
    map.getContainer().append(this.box);
    this.readout = h('div', { class: 'coord-readout', 'data-test': 'coord-readout', title: t('readout.title') });
    map.getContainer().append(this.readout);
    map.on('mousemove', (e) => this.showReadout([e.lngLat.lng, e.lngLat.lat]));
    map.on('moveend', () => { if (!this.pointer) this.showReadout(map.getCenter().toArray()); });
    map.getCanvas().addEventListener('mouseenter', () => { this.pointer = true; });
    map.getCanvas().addEventListener('mouseleave', () => { this.pointer = false; this.showReadout(map.getCenter().toArray()); });
    this.showReadout(map.getCenter().toArray());
  }

  /** button is the 定位 map button. */
  button() {
    this.btn = h('button', { type: 'button', class: 'btn btn-small map-tool-btn locate-btn', 'data-test': 'locate-open', title: t('locate.title'),
      'aria-label': t('locate.title'), 'aria-expanded': 'false', onclick: () => this.toggle() }, t('locate.btn'));
    on('lang', () => this.relabel());
    return this.btn;
  }

  /** relabel rewrites the button and the box in the language just chosen (what was typed stays). */
  relabel() {
    Object.assign(this.btn, { textContent: t('locate.btn'), title: t('locate.title') });
    this.btn.setAttribute('aria-label', t('locate.title'));
    const open = !this.box.hidden;
    const typed = this.input.value;
    const fresh = this.form();
    this.box.replaceWith(fresh);
    this.box = fresh;
    this.input.value = typed;
    this.zone.value = String(zone3(this.map.getCenter().lng));
    this.box.hidden = !open;
    this.showReadout(this.map.getCenter().toArray());
  }

  toggle(open = this.box.hidden) {
    this.box.hidden = !open;
    this.btn?.setAttribute('aria-expanded', String(open));
    if (open) {
      this.zone.value = String(zone3(this.map.getCenter().lng));
      this.input.focus();
    }
  }

  form() {
    this.input = h('input', { type: 'search', class: 'locate-input', 'data-test': 'locate-input', placeholder: t('locate.placeholder'), 'aria-label': t('locate.title') });
    this.zone = h('select', { class: 'locate-zone', 'data-test': 'locate-zone', 'aria-label': t('locate.zone') },
      Array.from({ length: 21 }, (_, i) => h('option', { value: 25 + i }, `${25 + i}（${3 * (25 + i)}°E）`)));
    this.list = h('ul', { class: 'locate-results', 'data-test': 'locate-results' });
    const box = h('form', { class: 'locate-box', 'data-test': 'locate-box', hidden: true, onsubmit: (e) => { e.preventDefault(); this.go(this.input.value); } },
      h('div', { class: 'locate-row' }, this.input, h('button', { type: 'submit', class: 'btn btn-small btn-primary', 'data-test': 'locate-go' }, t('locate.go'))),
      h('div', { class: 'locate-row' }, h('label', { class: 'locate-zone-label' }, t('locate.zone'), ' ', this.zone),
        h('button', { type: 'button', class: 'btn btn-small', 'data-test': 'locate-clear', onclick: () => this.clearMarker() }, t('locate.clear')),
        h('button', { type: 'button', class: 'btn btn-small locate-close', 'aria-label': '×', onclick: () => this.toggle(false) }, '×')),
      h('p', { class: 'hint locate-help' }, t('locate.help')),
      this.list);
    box.addEventListener('keydown', (e) => { if (e.key === 'Escape') this.toggle(false); });
    return box;
  }

  /** go finds what was typed and flies there. */
  async go(text) {
    const q = text.trim();
    this.list.replaceChildren();
    if (!q) return;
    const c = parseCoords(q, Number(this.zone.value));
    try {
      if (c === null) throw new Error(t('locate.bad'));
      if (c?.kind === 'lonlat') return this.mark([c.lon, c.lat]);
      if (c?.kind === 'gk') {
        const r = await api.transform(c.x, c.y, c.crs);
        return this.mark([r.lon, r.lat], `${c.crs} Y ${c.x} X ${c.y}`);
      }
      await this.search(q);
    } catch (e) {
      toast(e.message, 'error');
    }
  }

  /** search looks for assets (code, name, holder), then zones and counties by name. */
  async search(q) {
    this.places ??= Promise.all([api.regions(), api.zones()]);
    const [found, [regions, zones]] = await Promise.all([api.assets(null, { q, limit: 8 }), this.places]);
    const hit = (p) => p.name.includes(q) || p.code === q;
    const rows = [
      ...regions.filter(hit).map((p) => ({ kind: 'region', label: p.name, at: p.center, bbox: p.bbox })),
      ...zones.filter(hit).map((p) => ({ kind: 'zoneKind', label: p.name, at: p.center || boxCentre(p.bbox), bbox: p.bbox })),
      ...(found.items || []).map((a) => ({ kind: 'asset', label: `${a.code} ${a.name}${a.holder ? ` · ${a.holder}` : ''}`, at: a.center, id: a.id })),
    ].filter((r) => r.at);
    if (!rows.length) throw new Error(t('locate.none', { q }));
    if (rows.length === 1) return this.pick(rows[0]);
    this.list.replaceChildren(...rows.slice(0, 12).map((r) => h('li', null,
      h('button', { type: 'button', 'data-test': 'locate-hit', onclick: () => this.pick(r) }, h('span', { class: 'locate-kind' }, t(`locate.${r.kind}`)), ' ', r.label))));
  }

  pick(r) {
    this.list.replaceChildren();
    if (r.bbox) this.map.fitBounds([[r.bbox[0], r.bbox[1]], [r.bbox[2], r.bbox[3]]], { padding: 40, maxZoom: 16 });
    this.mark(r.at, r.label, !r.bbox);
    if (r.id) this.onAsset?.(r.id);
  }

  /** mark leaves the marker at [lon, lat] and (unless told not to) flies there. */
  mark(at, label = '', fly = true) {
    this.marker?.remove();
    const el = h('div', { class: 'locate-marker', 'data-test': 'locate-marker', dataset: { lon: at[0], lat: at[1] }, title: label || fmtLonLat(at) });
    this.marker = new maplibregl.Marker({ element: el, anchor: 'bottom' }).setLngLat(at).addTo(this.map);
    if (fly) this.map.flyTo({ center: at, zoom: Math.max(this.map.getZoom(), 16) });
  }

  clearMarker() {
    this.marker?.remove();
    this.marker = null;
  }

  /** showReadout writes lon/lat and the 3° zone's X (northing) and Y (easting, zone prefixed) of p. */
  showReadout(p) {
    const zone = zone3(p[0]);
    const g = toGK(p, 3 * zone, zone);
    Object.assign(this.readout.dataset, { lon: p[0], lat: p[1], zone, x: g.x, y: g.y });
    this.readout.replaceChildren(
      h('span', null, `CGCS2000 ${fmtLonLat(p)}`),
      h('span', null, `${t('readout.zone', { zone })} X ${g.x.toFixed(2)} Y ${g.y.toFixed(2)}`));
  }
}

const boxCentre = (b) => (b ? [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2] : null);
const fmtLonLat = ([lon, lat]) => `${Math.abs(lon).toFixed(6)}°${lon < 0 ? 'W' : 'E'} ${Math.abs(lat).toFixed(6)}°${lat < 0 ? 'S' : 'N'}`;
