// 测距 / 测面: measure lengths and areas on the CGCS2000 ellipsoid (geodesy.js). Clicks place
// vertices, snapped to the vertices of the parcels drawn within SNAP_PX; a double click, 完成 or
// Enter ends a measurement, Esc drops the one under way. Finished measurements stay on the map,
// labelled, until 清除.
import { h } from '../dom.js';
import { t, addWords } from '../i18n.js';
import { state, KINDS, on } from '../state.js';
import { length, area, MU_M2 } from './geodesy.js';

addWords('zh', {
  'measure.done': '完成', 'measure.clear': '清除', 'measure.close': '关闭',
  'measure.hint.line': '单击地图加点，双击或“完成”结束', 'measure.hint.area': '单击地图加点（至少 3 点），双击或“完成”结束',
  'measure.length': '长度', 'measure.areaLabel': '面积', 'measure.m': '米', 'measure.km': '千米', 'measure.m2': '平方米',
  'measure.mu': '亩', 'measure.ha': '公顷', 'measure.snap': '已吸附到地块顶点',
});
addWords('en', {
  'measure.done': 'Done', 'measure.clear': 'Clear', 'measure.close': 'Close',
  'measure.hint.line': 'Click to add points; double-click or Done to finish', 'measure.hint.area': 'Click to add points (3 or more); double-click or Done to finish',
  'measure.length': 'Length', 'measure.areaLabel': 'Area', 'measure.m': 'm', 'measure.km': 'km', 'measure.m2': 'm²',
  'measure.mu': 'mu', 'measure.ha': 'ha', 'measure.snap': 'Snapped to a parcel vertex',
});

/** SNAP_PX is how near (in screen pixels) a parcel vertex must be to catch a click. */
export const SNAP_PX = 10;
const SOURCE = 'measure';
const COLOR = '#e8590c';
const LAYERS = [
  { id: 'measure-fill', type: 'fill', source: SOURCE, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': COLOR, 'fill-opacity': 0.12 } },
  { id: 'measure-line', type: 'line', source: SOURCE, filter: ['all', ['!=', ['geometry-type'], 'Point'], ['!', ['get', 'draft']]],
    paint: { 'line-color': COLOR, 'line-width': 2.5 } },
  { id: 'measure-draft', type: 'line', source: SOURCE, filter: ['all', ['!=', ['geometry-type'], 'Point'], ['get', 'draft']],
    paint: { 'line-color': COLOR, 'line-width': 2.5, 'line-dasharray': [2, 1.5] } },
  { id: 'measure-point', type: 'circle', source: SOURCE, filter: ['==', ['geometry-type'], 'Point'],
    paint: { 'circle-radius': ['case', ['get', 'snap'], 7, 4], 'circle-color': ['case', ['get', 'snap'], '#fff', COLOR],
      'circle-stroke-color': COLOR, 'circle-stroke-width': ['case', ['get', 'snap'], 3, 1.5] } },
];

const fmt = (v, digits) => v.toLocaleString('zh-CN', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** formatLength writes metres as 米 below 1 km, 千米 above. */
export function formatLength(m) {
  return m < 1000 ? `${fmt(m, 2)} ${t('measure.m')}` : `${fmt(m / 1000, 3)} ${t('measure.km')}`;
}

/** formatArea writes square metres in 平方米, 亩 and 公顷. */
export function formatArea(m2) {
  return `${fmt(m2, m2 < 100 ? 2 : 0)} ${t('measure.m2')} · ${fmt(m2 / MU_M2, 2)} ${t('measure.mu')} · ${fmt(m2 / 10000, 4)} ${t('measure.ha')}`;
}

/** figures measures a line or a ring of [lon, lat] points: {lengthM, areaM2 (rings)}. */
export function figures(mode, pts) {
  if (mode === 'area') return { lengthM: pts.length > 1 ? length([...pts, pts[0]]) : 0, areaM2: pts.length > 2 ? area(pts) : 0 };
  return { lengthM: length(pts) };
}

/** snapVertex finds the parcel vertex drawn nearest the screen point p (within SNAP_PX): [lon, lat] or null. */
export function snapVertex(map, p, extra = []) {
  const layers = KINDS.map((k) => `${k}-fill`).filter((id) => map.getLayer(id));
  const box = [[p.x - SNAP_PX, p.y - SNAP_PX], [p.x + SNAP_PX, p.y + SNAP_PX]];
  let best = null;
  let bestD = SNAP_PX;
  const consider = (c) => {
    const q = map.project(c);
    const d = Math.hypot(q.x - p.x, q.y - p.y);
    if (d <= bestD) { best = [c[0], c[1]]; bestD = d; }
  };
  extra.forEach(consider);
  for (const f of map.queryRenderedFeatures(box, { layers })) {
    const g = f.geometry;
    const rings = g.type === 'Polygon' ? g.coordinates : g.type === 'MultiPolygon' ? g.coordinates.flat() : [];
    rings.forEach((ring) => ring.forEach(consider));
  }
  return best;
}

/** MeasureTool is the 测距 and 测面 buttons and what they draw. */
export class MeasureTool {
  /** btns are its 测距 and 测面 buttons in the map's tool group (tools/registry.js). */
  constructor(map, btns) {
    this.map = map;
    this.done = []; // finished: {mode, pts, marker}
    this.mode = null;
    this.pts = [];
    this.hover = null; // {pt, snapped}
    this.bar = h('div', { class: 'measure-bar', 'data-test': 'measure-bar', hidden: true });
    map.getContainer().append(this.bar);
    this.handlers = {
      click: (e) => this.add(e),
      mousemove: (e) => this.move(e),
      dblclick: (e) => { e.preventDefault(); this.finish(); },
    };
    this.onKey = (e) => {
      if (e.key === 'Escape') this.cancel();
      if (e.key === 'Enter') this.finish();
    };
    this.btns = btns;
    ['line', 'area'].forEach((mode, i) => { btns[i].onclick = () => (this.mode === mode ? this.finish() : this.start(mode)); });
    on('lang', () => this.render());
  }

  start(mode) {
    if (this.mode) this.finish();
    if (this.release) { // this tool still holds the map's clicks from the last measurement
      clearTimeout(this.release);
      this.release = null;
      state.drawing = false;
      this.map.doubleClickZoom.enable();
    }
    if (state.drawing) return; // another tool has the map's clicks
    this.mode = mode;
    this.pts = [];
    state.drawing = true;
    this.map.doubleClickZoom.disable();
    this.map.getCanvas().style.cursor = 'crosshair';
    for (const [ev, fn] of Object.entries(this.handlers)) this.map.on(ev, fn);
    document.addEventListener('keydown', this.onKey);
    this.btns.forEach((b) => b.setAttribute('aria-pressed', String(b.classList.contains(`measure-${mode}`))));
    this.ensureLayers();
    this.render();
  }

  add(e) {
    const snapped = snapVertex(this.map, e.point, this.pts.slice(0, 1));
    const pt = snapped || [e.lngLat.lng, e.lngLat.lat];
    // A click on the first vertex closes an area, on the last one ends a line.
    const last = this.pts[this.pts.length - 1];
    if (this.pts.length > 1 && snapped && ((this.mode === 'area' && sameAs(pt, this.pts[0])) || sameAs(pt, last))) {
      this.finish();
      return;
    }
    if (last && sameAs(pt, last)) return; // the second click of a double click
    this.pts.push(pt);
    this.render();
  }

  move(e) {
    const snapped = snapVertex(this.map, e.point, this.pts.slice(0, 1));
    this.hover = { pt: snapped || [e.lngLat.lng, e.lngLat.lat], snapped: Boolean(snapped) };
    this.draw();
  }

  /** finish keeps the measurement under way (if it has enough points) and leaves the tool. */
  finish() {
    if (!this.mode) return;
    const need = this.mode === 'area' ? 3 : 2;
    if (this.pts.length >= need) this.keep(this.mode, this.pts);
    this.stop();
  }

  /** cancel drops the measurement under way. */
  cancel() { this.stop(); }

  stop() {
    for (const [ev, fn] of Object.entries(this.handlers)) this.map.off(ev, fn);
    document.removeEventListener('keydown', this.onKey);
    this.map.getCanvas().style.cursor = '';
    // The click that ended it is still on its way: map.js must not take it for a pick.
    this.release = setTimeout(() => { this.release = null; state.drawing = false; this.map.doubleClickZoom.enable(); }, 350);
    this.mode = null;
    this.pts = [];
    this.hover = null;
    this.btns.forEach((b) => b.setAttribute('aria-pressed', 'false'));
    this.render();
  }

  keep(mode, pts) {
    const f = figures(mode, pts);
    const text = mode === 'area' ? formatArea(f.areaM2) : formatLength(f.lengthM);
    const at = mode === 'area' ? centroid(pts) : pts[pts.length - 1];
    const el = h('div', { class: 'measure-label', 'data-test': 'measure-label', dataset: { mode, lengthM: f.lengthM, areaM2: f.areaM2 ?? '' } }, text);
    const marker = new maplibregl.Marker({ element: el, anchor: mode === 'area' ? 'center' : 'bottom-left', offset: mode === 'area' ? [0, 0] : [6, -6] })
      .setLngLat(at).addTo(this.map);
    this.done.push({ mode, pts, marker, ...f });
  }

  /** clear removes every finished measurement. */
  clear() {
    this.done.forEach((d) => d.marker.remove());
    this.done = [];
    this.render();
  }

  ensureLayers() {
    if (!this.map.getSource(SOURCE)) this.map.addSource(SOURCE, { type: 'geojson', data: collection([]) });
    for (const l of LAYERS) if (!this.map.getLayer(l.id)) this.map.addLayer(l);
  }

  /** draw redraws the map's measurement source: finished ones, the one under way, the cursor. */
  draw() {
    const src = this.map.getSource(SOURCE);
    if (!src) return;
    const feats = this.done.map((d) => shape(d.mode, d.pts, false));
    const pts = this.hover ? [...this.pts, this.hover.pt] : this.pts;
    if (this.mode && pts.length > 1) feats.push(shape(this.mode, pts, true));
    for (const d of this.done) for (const p of d.pts) feats.push(point(p, false));
    for (const p of this.pts) feats.push(point(p, false));
    if (this.hover?.snapped) feats.push(point(this.hover.pt, true));
    src.setData(collection(feats));
    if (this.mode) this.renderLive(pts);
  }

  /** render redraws the bar and the map. */
  render() {
    const active = Boolean(this.mode);
    this.bar.hidden = !active && !this.done.length;
    this.bar.classList.toggle('active', active);
    this.bar.replaceChildren(...[
      h('span', { class: `measure-live${active ? ' is-hint' : ''}`, 'data-test': 'measure-live' }, active ? t(`measure.hint.${this.mode}`) : ''),
      active ? h('button', { type: 'button', class: 'btn btn-small btn-primary', 'data-test': 'measure-done', onclick: () => this.finish() }, t('measure.done')) : null,
      this.done.length ? h('button', { type: 'button', class: 'btn btn-small', 'data-test': 'measure-clear', onclick: () => this.clear() }, t('measure.clear')) : null,
      active ? h('button', { type: 'button', class: 'btn btn-small', onclick: () => this.cancel() }, t('measure.close')) : null,
    ].filter(Boolean));
    if (!active && this.done.length) {
      const d = this.done[this.done.length - 1];
      this.bar.firstChild.textContent = d.mode === 'area' ? `${t('measure.areaLabel')} ${formatArea(d.areaM2)}` : `${t('measure.length')} ${formatLength(d.lengthM)}`;
    }
    this.draw();
  }

  renderLive(pts) {
    const live = this.bar.querySelector('.measure-live');
    const need = this.mode === 'area' ? 3 : 2;
    if (!live || pts.length < need) return;
    const f = figures(this.mode, pts);
    live.classList.remove('is-hint');
    live.textContent = this.mode === 'area' ? `${t('measure.areaLabel')} ${formatArea(f.areaM2)}` : `${t('measure.length')} ${formatLength(f.lengthM)}`;
    Object.assign(live.dataset, { lengthM: f.lengthM, areaM2: f.areaM2 ?? '' });
  }
}

const sameAs = (a, b) => Math.abs(a[0] - b[0]) < 1e-9 && Math.abs(a[1] - b[1]) < 1e-9;
const collection = (features) => ({ type: 'FeatureCollection', features });
const point = (c, snap) => ({ type: 'Feature', properties: { snap }, geometry: { type: 'Point', coordinates: c } });

function shape(mode, pts, draft) {
  const geometry = mode === 'area' && pts.length > 2
    ? { type: 'Polygon', coordinates: [[...pts, pts[0]]] }
    : { type: 'LineString', coordinates: pts };
  return { type: 'Feature', properties: { draft }, geometry };
}

function centroid(pts) {
  const n = pts.length;
  return [pts.reduce((s, p) => s + p[0], 0) / n, pts.reduce((s, p) => s + p[1], 0) / n];
}
