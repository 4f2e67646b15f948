// Spatial queries: a development zone in one click ("园区闲置土地"), a drawn polygon, rectangle or
// circle (terra-draw), or a buffer of N metres around the selected asset, each feeding the result
// list. While a tool is active (state.drawing) map clicks only draw; Esc cancels. A drawn area
// travels in the link (state.drawn, rounded as the link keeps it) and reopens the same query.
// A spatial query AND the filter panel narrow each other: each runs with the current filters, and
// again whenever they change (rerun). 园区闲置土地 is land, idle or approved-unsupplied, not yet
// revitalised (the server leaves done parcels out of a zone unless asked), its 亩 bound on the
// area inside the zone.
import { h, $, toast } from './dom.js';
import { t, num } from './i18n.js';
import { api, params, MARKS, listOf } from './api.js';
import { state, emit } from './state.js';
import { showQueryArea, showQueryHits, framePadding, flyToGeometry } from './map.js';
import { QUERY_COLOR } from './layers.js';
import { roundShape } from './shapecode.js';
import { loadLib } from './libs.js';

const MAX_BUFFER_M = 50000;

const IDLE = { kind: ['land'], land_status: ['idle', 'approved_unsupplied'] };
// Up to this many results of a spatial query come at once, each with a point on its surface and
// the fields the list shows (MARKS; exports ask again for every field: fetchFeatures).
const LIMIT = MARKS.limit;
const NONE = { items: [], total: 0, totals: { count: 0, area_mu: 0, overlap_mu: 0, book_value: 0 } };

/**
 * zoneParams are the query parameters of a zone query under the filters: the preset's kind and
 * land status intersected with the filters' (null when nothing can match), the larger of the two
 * least areas; 园区全部资产 includes revitalised assets.
 */
export function zoneParams(q, filters) {
  const f = structuredClone(filters);
  if (q.preset === 'idle') {
    for (const [k, want] of Object.entries(IDLE)) {
      f[k] = f[k].length ? f[k].filter((v) => want.includes(v)) : want;
      if (!f[k].length) return null;
    }
  }
  if (q.min_area_mu !== '' && q.min_area_mu != null) {
    f.min_area_mu = f.min_area_mu === '' ? String(q.min_area_mu) : String(Math.max(Number(f.min_area_mu), Number(q.min_area_mu)));
  }
  const p = Object.fromEntries(params(f));
  if (q.preset === 'all') p.include_done = 'true';
  return p;
}

/** QueryPanel owns the zone picker and the drawing tools. */
export class QueryPanel {
  constructor(el, { map, zones, regions, results }) {
    this.el = el;
    this.map = map;
    this.zones = zones;
    this.regions = regions;
    this.results = results;
    this.draw = null;
    this.drawMode = null;
    this.drawSeq = 0;
    this.bufferM = '500';
    // Capture: Esc ends drawing before anything else (the asset panel) hears of it.
    document.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || !this.drawMode) return;
      e.preventDefault();
      e.stopPropagation();
      this.stopDraw();
    }, true);
  }

  render() {
    const zq = state.zoneQuery;
    const select = h('select', { id: 'q-zone', 'aria-labelledby': 'q-zone-label' },
      h('option', { value: '' }, t('query.zone.pick')),
      this.zones.map((z) => h('option', { value: z.code, selected: zq?.code === z.code }, z.name)));
    const min = h('input', { id: 'q-min', type: 'number', min: '0', step: 'any', value: zq?.min_area_mu || '', 'aria-labelledby': 'q-min-label', placeholder: '0' });
    const run = (preset) => () => {
      if (!select.value) { select.focus(); toast(t('query.zone.pick')); return; }
      this.zoneQuery({ code: select.value, preset, min_area_mu: min.value });
    };
    const drawBtn = (mode, icon) => h('button', {
      type: 'button', class: 'btn tool', 'aria-pressed': String(this.drawMode === mode), 'data-draw': mode,
      onclick: () => this.startDraw(mode),
    }, h('span', { class: 'tool-icon', 'aria-hidden': 'true' }, icon), t(`query.draw.${mode}`));
    this.el.replaceChildren(
      h('h3', {}, t('query.zone')),
      h('div', { class: 'field' }, h('label', { class: 'field-label', id: 'q-zone-label', for: 'q-zone' }, t('zone')), select),
      h('div', { class: 'field' }, h('label', { class: 'field-label', id: 'q-min-label', for: 'q-min' }, t('query.zone.minArea')), min),
      h('div', { class: 'btn-row' },
        h('button', { type: 'button', class: 'btn btn-primary', id: 'q-zone-idle', onclick: run('idle') }, t('query.zone.idle')),
        h('button', { type: 'button', class: 'btn', id: 'q-zone-all', onclick: run('all') }, t('query.zone.all'))),
      h('p', { class: 'hint' }, t('query.zone.hint')),
      h('h3', {}, t('query.draw')),
      h('div', { class: 'btn-row tools' }, drawBtn('polygon', '⬠'), drawBtn('rectangle', '▭'), drawBtn('circle', '◯'),
        h('button', { type: 'button', class: 'btn tool', id: 'q-clear', onclick: () => this.clear() }, t('query.draw.clear'))),
      h('p', { class: 'hint' }, t('query.draw.hint')),
      this.bufferTool());
  }

  /** bufferTool asks for the assets within N metres of the selected asset. */
  bufferTool() {
    const input = h('input', { id: 'q-buffer-m', type: 'number', min: '1', max: String(MAX_BUFFER_M), step: 'any', inputmode: 'decimal',
      value: this.bufferM, 'aria-describedby': 'q-buffer-hint', oninput: (e) => { this.bufferM = e.currentTarget.value; } });
    return h('div', { class: 'buffer-tool' },
      h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'q-buffer-m' }, t('query.buffer.radius')),
        h('div', { class: 'with-unit' }, input, h('span', { class: 'unit' }, t('unit.m')))),
      h('button', { type: 'button', class: 'btn tool', id: 'q-buffer', onclick: () => this.bufferQuery(input) },
        h('span', { class: 'tool-icon', 'aria-hidden': 'true' }, '◎'), t('query.buffer')),
      h('p', { class: 'hint', id: 'q-buffer-hint' }, t('query.buffer.hint')));
  }

  /** bufferQuery lists the assets within the given metres of the selected asset (ST_Buffer on the server). */
  async bufferQuery(input) {
    const r = Number(input.value);
    if (!state.selected) { toast(t('query.buffer.pick')); return; }
    if (!(r > 0 && r <= MAX_BUFFER_M)) { toast(t('query.buffer.bad', { max: num(MAX_BUFFER_M, 0) })); input.focus(); return; }
    this.stopDraw();
    let area;
    try {
      area = await api.buffer(state.selected, r);
    } catch (e) {
      toast(`${t('err.load')}：${e.message}`, 'error');
      return;
    }
    this.drawQuery(area, { title: t('query.buffer.title', { m: num(r, 0) }) });
    flyToGeometry(this.map, area);
  }

  /** zoneQuery lists a zone's assets by overlap (under the filters) and frames the zone on the map. */
  async zoneQuery(q, { frame = true } = {}) {
    this.stopDraw();
    state.zoneQuery = q;
    state.drawn = null;
    showQueryArea(this.map, null);
    showQueryHits(this.map, null);
    this.render();
    emit('query');
    const zone = this.zones.find((z) => z.code === q.code);
    const extra = zoneParams(q, state.filters);
    const title = `${t(q.preset === 'idle' ? 'query.zone.idle' : 'query.zone.all')}：${zone?.name || q.code}`;
    await this.results.show({
      type: 'zone', title, sort: { key: 'overlap_mu', dir: -1 },
      fetchAll: async () => {
        if (!extra) return NONE;
        const fc = await api.zoneAssets(q.code, { ...extra, ...MARKS });
        if (state.zoneQuery === q) {
          showQueryHits(this.map, fc.features);
          if (frame && zone?.bbox) this.map.fitBounds([[zone.bbox[0], zone.bbox[1]], [zone.bbox[2], zone.bbox[3]]], { padding: framePadding(), duration: 800 });
        }
        return listOf(fc);
      },
      fetchFeatures: (page) => (extra ? api.zoneAssets(q.code, { ...extra, ...page, format: 'geojson' })
        : Promise.resolve({ type: 'FeatureCollection', features: [], numberMatched: 0 })),
    }, { expand: true });
  }

  async ensureDraw() {
    if (this.draw) return this.draw;
    await loadLib('terraDraw');
    if (this.draw) return this.draw;
    const td = window.terraDraw;
    const { TerraDrawMapLibreGLAdapter } = window.terraDrawMaplibreGlAdapter;
    const style = { fillColor: QUERY_COLOR, fillOpacity: 0.12, outlineColor: QUERY_COLOR, outlineWidth: 2, closingPointColor: QUERY_COLOR, closingPointOutlineColor: '#ffffff' };
    this.draw = new td.TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map: this.map }),
      modes: [
        new td.TerraDrawPolygonMode({ styles: style }),
        new td.TerraDrawRectangleMode({ styles: style }),
        new td.TerraDrawCircleMode({ styles: style }),
      ],
    });
    this.draw.start();
    this.draw.on('finish', (id) => {
      const f = this.draw.getSnapshot().find((x) => x.id === id);
      if (f) this.drawQuery(f.geometry);
    });
    window.__draw = this.draw; // for the browser tests, as window.__map
    return this.draw;
  }

  /** setDrawing tells the map's click and zoom handlers that clicks now only draw (or no longer). */
  setDrawing(on) {
    const seq = ++this.drawSeq;
    if (on) {
      state.drawing = true;
      this.map.doubleClickZoom.disable();
      return;
    }
    document.body.classList.remove('drawing');
    // The click (or double click) that finished the shape is still on its way to the map.
    setTimeout(() => {
      if (seq !== this.drawSeq) return;
      state.drawing = false;
      this.map.doubleClickZoom.enable();
    }, 350);
  }

  async startDraw(mode) {
    if (this.drawMode === mode) { this.stopDraw(); return; } // a second press puts the tool down
    this.setDrawing(true);
    this.drawMode = mode;
    const d = await this.ensureDraw();
    if (this.drawMode !== mode) return; // cancelled while terra-draw loaded
    d.clear();
    d.setMode(mode);
    document.body.classList.add('drawing'); // the tool is ready for clicks
    // Free the map for drawing: the list opens again with the result.
    if (this.results.expanded) {
      this.results.expanded = false;
      this.results.render();
    }
    this.render();
    $(`[data-draw="${mode}"]`, this.el)?.focus();
  }

  /** stopDraw puts the drawing tool down and drops a shape being drawn (Esc). */
  stopDraw() {
    if (!this.drawMode) return;
    this.drawMode = null;
    if (this.draw) {
      this.draw.clear();
      this.draw.setMode('static');
    }
    this.setDrawing(false);
    this.render();
  }

  /**
   * drawQuery lists the assets within an area (drawn, a buffer, or from a link) with the current
   * filters. The area is rounded as the link keeps it, so the link reopens the very same query.
   */
  drawQuery(geometry, { title } = {}) {
    this.stopDraw();
    const area = roundShape(geometry);
    state.zoneQuery = null;
    state.drawn = area;
    showQueryArea(this.map, area);
    showQueryHits(this.map, null);
    this.render();
    this.listWithin(area, title || t('results.draw'));
    emit('query');
  }

  /** listWithin lists the assets within a shape under the current filters. */
  listWithin(area, title) {
    const within = JSON.stringify(area);
    const filters = structuredClone(state.filters);
    const source = {
      type: 'draw', title, filters, within, geometry: area, sort: { key: 'overlap_mu', dir: -1 },
      fetchAll: async () => {
        const fc = await api.assets(filters, { within, ...MARKS });
        if (this.results.source === source) showQueryHits(this.map, fc.features);
        return listOf(fc);
      },
      fetchFeatures: (page) => api.assets(filters, { within, ...page, format: 'geojson' }),
    };
    this.results.show(source, { expand: true });
  }

  /** rerun runs the open zone query or drawn area again under changed filters. */
  rerun() {
    const src = this.results.source;
    if (state.zoneQuery && src?.type === 'zone') this.zoneQuery(state.zoneQuery, { frame: false });
    else if (src?.type === 'draw') this.listWithin(src.geometry, src.title);
  }

  /** clear ends any spatial query and returns the list to the filter results. */
  clear() {
    this.stopDraw();
    state.zoneQuery = null;
    state.drawn = null;
    showQueryArea(this.map, null);
    showQueryHits(this.map, null);
    emit('query-cleared');
  }
}
