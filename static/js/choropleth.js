// The county choropleth of the city view: each county shaded by one measure (share of its area
// idle, share revitalised, or 亩 under one disposal mode) from /api/v1/stats grouped by region,
// stage and mode, joined to the region tiles by a match on the county code. A small control on
// the map picks the measure; 闲置土地在哪 is the leader's one click (share idle + the idle filter,
// framed on the whole city). The measure counts every stage, so the idle filter does not turn the
// shares into 100 %. In a province of cities the low zooms (below CITY_MAX_ZOOM) shade the cities
// instead, by the same measure from /api/v1/stats grouped by city.
import { h, fill } from './dom.js';
import { t, label, num, pct } from './i18n.js';
import { state, emit, MODES } from './state.js';
import { api, latest } from './api.js';
import { CITY_MAX_ZOOM, asRegionGroups } from './province.js';

/** CHORO_MAX_ZOOM is the zoom up to which the choropleth shows (city and county overview). */
export const CHORO_MAX_ZOOM = 10.5;
/** MEASURES lists the choropleth's measures; 'off' hides it. */
export const MEASURES = ['off', 'idle_share', 'done_share', ...MODES.map((m) => `mu_${m}`)];
const RAMPS = { idle_share: ['#fff5f0', '#c92a2a'], done_share: ['#f0fff4', '#2b8a3e'], mu: ['#eef4ff', '#1c3faa'] };

/** countyFigures sums stats groups (region_code, stage, mode) into per-county totals. */
export function countyFigures(groups) {
  const out = new Map();
  for (const g of groups) {
    if (!g.region_code) continue;
    const c = out.get(g.region_code) || { code: g.region_code, name: g.region_name, area: 0, idle: 0, done: 0, mode: {} };
    const a = Number(g.area_mu) || 0;
    c.area += a;
    if (g.stage === 'idle') c.idle += a;
    if (g.stage === 'done') c.done += a;
    c.mode[g.mode] = (c.mode[g.mode] || 0) + a;
    out.set(g.region_code, c);
  }
  return out;
}

/** measureValue is one county's value of a measure (shares 0..1, areas in 亩). */
export function measureValue(c, measure) {
  if (measure === 'idle_share') return c.area ? c.idle / c.area : 0;
  if (measure === 'done_share') return c.area ? c.done / c.area : 0;
  return c.mode[measure.slice(3)] || 0;
}

const mix = (a, b, f) => {
  const p = (s) => [1, 3, 5].map((i) => parseInt(s.slice(i, i + 2), 16));
  const [x, y] = [p(a), p(b)];
  return `#${x.map((v, i) => Math.round(v + (y[i] - v) * f).toString(16).padStart(2, '0')).join('')}`;
};

const measureLabel = (m) => (m.startsWith('mu_') ? t('choro.mu', { mode: label('mode.long', m.slice(3)) }) : t(`choro.${m}`));
const format = (m, v) => (m.startsWith('mu_') ? num(v, 0) : pct(v, 0));

/** Choropleth keeps the county layer, its control and the values written on the county labels. */
export class Choropleth {
  constructor(map, el, { onIdleLand, cities = [] }) {
    this.map = map;
    this.el = el;
    this.onIdleLand = onIdleLand;
    this.measure = MEASURES.includes(state.choropleth) ? state.choropleth : 'off';
    this.values = new Map();
    this.cityValues = new Map();
    this.cities = cities;
    const figures = (group, signal) => api.stats(`${group},stage,mode`, { ...state.filters, stage: [], region: [] }, { signal });
    this.fetch = latest((signal) => Promise.all([figures('region', signal), cities.length ? figures('city', signal) : { groups: [] }]));
    map.on('zoomend', () => this.renderLabels());
  }

  /** set picks a measure and reloads. */
  async set(measure) {
    this.measure = MEASURES.includes(measure) ? measure : 'off';
    state.choropleth = this.measure;
    await this.load();
  }

  /** load re-counts under the current filters (all stages, all counties) and redraws. */
  async load() {
    if (this.measure === 'off') { this.values = new Map(); this.draw(); return; }
    try {
      const r = await this.fetch();
      if (!r) return;
      const values = (groups) => new Map([...countyFigures(groups)].map(([code, c]) => [code, measureValue(c, this.measure)]));
      this.values = values(r[0].groups);
      this.cityValues = values(asRegionGroups(r[1].groups));
    } catch {
      this.values = new Map();
      this.cityValues = new Map();
    }
    this.draw();
  }

  colors() {
    const ramp = RAMPS[this.measure.startsWith('mu_') ? 'mu' : this.measure];
    const all = [...this.values.values(), ...this.cityValues.values()];
    const max = this.measure.startsWith('mu_') ? Math.max(1, ...all) : Math.max(0.01, ...all);
    return { ramp, max, of: (v) => mix(ramp[0], ramp[1], Math.min(1, v / max)) };
  }

  draw() {
    const map = this.map;
    const on = this.measure !== 'off' && this.values.size > 0;
    if (!map.getLayer('region-choropleth') && on) {
      map.addLayer({ id: 'region-choropleth', type: 'fill', source: 'onemap', 'source-layer': 'region', maxzoom: CHORO_MAX_ZOOM,
        paint: { 'fill-color': '#000', 'fill-opacity': ['case', ['has', '__onemap'], 0.7, 0.7], 'fill-antialias': false } }, 'region-casing');
    }
    if (this.cities.length && !map.getLayer('city-choropleth') && on) {
      // Cities below CITY_MAX_ZOOM, their counties from there on.
      map.setLayerZoomRange('region-choropleth', CITY_MAX_ZOOM, CHORO_MAX_ZOOM);
      map.addLayer({ id: 'city-choropleth', type: 'fill', source: 'onemap', 'source-layer': 'region', maxzoom: CITY_MAX_ZOOM,
        filter: ['==', ['get', 'level'], 'city'], paint: { 'fill-color': '#000', 'fill-opacity': 0.7, 'fill-antialias': false } }, 'region-casing');
    }
    const paint = (id, values) => {
      if (!map.getLayer(id)) return;
      map.setLayoutProperty(id, 'visibility', on && state.layers.has('region') ? 'visible' : 'none');
      if (!on) return;
      const c = this.colors();
      map.setPaintProperty(id, 'fill-color', values.size
        ? ['match', ['get', 'code'], ...[...values].flatMap(([code, v]) => [code, c.of(v)]), 'rgba(0,0,0,0)'] : 'rgba(0,0,0,0)');
    };
    paint('region-choropleth', this.values);
    paint('city-choropleth', this.cityValues);
    this.render();
    this.renderLabels();
  }

  /** renderLabels writes each county's value under its name (city zoom only). */
  renderLabels() {
    const show = this.measure !== 'off' && this.map.getZoom() < CHORO_MAX_ZOOM;
    for (const el of document.querySelectorAll('.region-label[data-region]')) {
      let v = el.querySelector('.region-value');
      const value = this.values.get(el.dataset.region) ?? this.cityValues.get(el.dataset.region);
      if (!show || value == null) { v?.remove(); continue; }
      if (!v) { v = h('span', { class: 'region-value' }); el.append(v); }
      v.textContent = format(this.measure, value);
    }
  }

  render() {
    const select = h('select', { id: 'choro-measure', 'aria-label': t('choro'),
      onchange: (e) => { this.set(e.target.value); emit('choropleth'); } },
    MEASURES.map((m) => h('option', { value: m, selected: m === this.measure }, m === 'off' ? t('choro.off') : measureLabel(m))));
    let scale = null;
    if (this.measure !== 'off' && this.values.size) {
      const c = this.colors();
      scale = h('div', { class: 'choro-scale' },
        h('span', {}, format(this.measure, 0)),
        h('span', { class: 'choro-ramp', style: { background: `linear-gradient(90deg, ${c.ramp[0]}, ${c.ramp[1]})` } }),
        h('span', {}, format(this.measure, c.max)));
    }
    fill(this.el,
      h('label', { class: 'choro-head', for: 'choro-measure' }, t('choro')),
      select,
      scale,
      h('button', { type: 'button', class: 'btn btn-small btn-primary', 'data-test': 'idle-land', onclick: () => this.onIdleLand() }, t('choro.idleLand')));
  }
}
