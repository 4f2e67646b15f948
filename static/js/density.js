// 闲置土地密度: a hexagon density of idle (闲置) and approved-unsupplied (批而未供) land, by 亩, at
// city zooms (≤ DENSITY_MAX_ZOOM), from GET /api/v1/density for the view under the map's filters
// (region, zone, stage, mode, land status). A switch in the layers panel turns it on; its legend
// there gives the colour ramp in 亩 per cell and the cell's size on the ground.
import { h } from './dom.js';
import { t, num, addWords } from './i18n.js';
import { state, emit } from './state.js';
import { getJSON, params, latest } from './api.js';

addWords('zh', {
  'density.title': '闲置土地密度', 'density.layer': '闲置及批而未供土地（亩/格）',
  'density.cell': '每格边长约 {km} 公里', 'density.zoomIn': '放大到 {z} 级以上显示地块，密度图隐藏', 'density.none': '视图内无闲置或批而未供土地',
});
addWords('en', {
  'density.title': 'Idle land density', 'density.layer': 'Idle and approved-unsupplied land (mu per cell)',
  'density.cell': 'cell side ≈ {km} km', 'density.zoomIn': 'Above zoom {z} the map shows parcels; the density is hidden', 'density.none': 'No idle or approved-unsupplied land in view',
});

/** DENSITY_MAX_ZOOM is the last zoom the density shows at (the server's assets.DensityMaxZoom). */
export const DENSITY_MAX_ZOOM = 13;
const STATUSES = ['approved_unsupplied', 'idle'];
/** RAMP runs from few 亩 to many (sqrt-spaced stops of the view's largest cell). */
const RAMP = ['#fff3bf', '#ffd43b', '#fd7e14', '#e03131', '#862e9c'];
const SOURCE = 'density';
const LAYERS = ['density-fill', 'density-line'];

/** rampStops are the 亩 at which RAMP's colours sit: 0 and max·(i/4)² (a square-root scale). */
export const rampStops = (max) => RAMP.map((_, i) => max * (i / (RAMP.length - 1)) ** 2);

/** Density keeps the density layer, its data for the view and its entry in the layers panel. */
export class Density {
  constructor(map, { onChange }) {
    this.map = map;
    this.onChange = onChange;
    this.data = null;
    this.fetch = latest((signal, query) => getJSON('/api/v1/density', query, { signal }));
    map.on('moveend', () => { if (state.density) this.load(); });
  }

  /** query is the request for the current view, or null when nothing can show (zoomed in, status filter). */
  query() {
    const z = Math.floor(this.map.getZoom());
    const wanted = state.filters.land_status.length ? state.filters.land_status.filter((s) => STATUSES.includes(s)) : STATUSES;
    if (z > DENSITY_MAX_ZOOM || !wanted.length) return null;
    const b = this.map.getBounds();
    const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
    const bbox = [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -85, 85), clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -85, 85)];
    return params({ ...state.filters, kind: [], land_status: wanted, q: '', min_area_mu: '', max_area_mu: '' },
      { zoom: Math.max(0, z), bbox: bbox.map((v) => v.toFixed(6)).join(',') });
  }

  /** set turns the layer on or off. */
  set(on) {
    state.density = on;
    emit('density');
    this.load();
  }

  /** load fetches the view's cells (when on) and draws them. */
  async load() {
    if (!state.density && !this.map.getSource(SOURCE)) return; // never shown: nothing to hide
    const q = state.density ? this.query() : null;
    if (!q) { this.data = null; this.draw(); return; }
    try {
      const d = await this.fetch(q);
      if (!d) return;
      this.data = d;
    } catch {
      this.data = null;
    }
    this.draw();
  }

  draw() {
    const map = this.map;
    const fc = this.data || { type: 'FeatureCollection', features: [] };
    if (!map.getSource(SOURCE)) {
      map.addSource(SOURCE, { type: 'geojson', data: fc });
      map.addLayer({ id: 'density-fill', type: 'fill', source: SOURCE, maxzoom: DENSITY_MAX_ZOOM + 1, paint: { 'fill-color': RAMP[0], 'fill-opacity': 0.8 } });
      map.addLayer({ id: 'density-line', type: 'line', source: SOURCE, maxzoom: DENSITY_MAX_ZOOM + 1, paint: { 'line-color': '#ffffff', 'line-width': 0.8, 'line-opacity': 0.8 } });
    } else {
      map.getSource(SOURCE).setData(fc);
    }
    const stops = rampStops(Math.max(this.data?.max_mu || 0, 1));
    map.setPaintProperty('density-fill', 'fill-color', ['interpolate', ['linear'], ['get', 'area_mu'], ...stops.flatMap((s, i) => [s, RAMP[i]])]);
    for (const id of LAYERS) map.setLayoutProperty(id, 'visibility', state.density ? 'visible' : 'none');
    this.onChange?.();
  }

  /** layerToggle is the layers panel's 闲置土地密度 switch with its legend. */
  layerToggle() {
    const d = this.data;
    const zoomedIn = Math.floor(this.map.getZoom()) > DENSITY_MAX_ZOOM;
    let legend = null;
    if (state.density && zoomedIn) {
      legend = h('p', { class: 'hint density-note' }, t('density.zoomIn', { z: DENSITY_MAX_ZOOM }));
    } else if (state.density && d && !d.features.length) {
      legend = h('p', { class: 'hint density-note' }, t('density.none'));
    } else if (state.density && d) {
      const stops = rampStops(d.max_mu);
      legend = h('div', { class: 'density-legend', 'data-test': 'density-legend' },
        h('div', { class: 'density-ramp', style: { background: `linear-gradient(90deg, ${RAMP.join(', ')})` } }),
        h('div', { class: 'density-scale' }, [0, 2, 4].map((i) => h('span', {}, num(stops[i], stops[i] < 10 ? 1 : 0)))),
        h('div', { class: 'density-unit' }, `${t('unit.mu')} / ${t('density.cell', { km: num(d.hex_side_m / 1000, 1) })}`));
    }
    return h('div', { class: 'density-layers' }, h('h3', {}, t('density.title')),
      h('div', { class: 'layer-list' },
        h('label', { class: 'layer-toggle', for: 'lyr-density' },
          h('input', { type: 'checkbox', id: 'lyr-density', checked: state.density, 'data-layer': 'density',
            onchange: (e) => this.set(e.target.checked) }),
          h('span', { class: 'swatch', style: { '--c': RAMP[3] } }),
          h('span', { class: 'layer-name' }, t('density.layer')))),
      legend);
  }
}
