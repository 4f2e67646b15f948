// Spatial queries: a development zone in one click ("园区闲置土地") or a drawn polygon, rectangle or
// circle (terra-draw), each feeding the result list. A spatial query AND the filter panel narrow
// each other: each runs with the current filters, and again whenever they change (rerun).
// 园区闲置土地 is land, idle or approved-unsupplied, not yet revitalised (the server leaves done
// parcels out of a zone unless asked), its 亩 bound on the area inside the zone.
import { h, $, toast } from './dom.js';
import { t } from './i18n.js';
import { api, params, MARKS, listOf } from './api.js';
import { state, emit } from './state.js';
import { showQueryArea, showQueryHits, framePadding } from './map.js';
import { loadLib } from './libs.js';

const IDLE = { kind: ['land'], land_status: ['idle', 'approved_unsupplied'] };
// Up to this many results of a spatial query come at once, each with a point on its surface and
// the fields the list shows (MARKS; exports ask again for every field: fetchFull).
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
      h('p', { class: 'hint' }, t('query.draw.hint')));
  }

  /** zoneQuery lists a zone's assets by overlap and frames the zone on the map. */
  async zoneQuery(q, { frame = true } = {}) {
    this.stopDraw();
    state.zoneQuery = q;
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
      fetchFull: async () => (extra ? (await api.zoneAssets(q.code, { ...extra, limit: LIMIT })).items : []),
    }, { expand: true });
  }

  async ensureDraw() {
    if (this.draw) return this.draw;
    await loadLib('terraDraw');
    if (this.draw) return this.draw;
    const td = window.terraDraw;
    const { TerraDrawMapLibreGLAdapter } = window.terraDrawMaplibreGlAdapter;
    const style = { fillColor: '#fab005', fillOpacity: 0.15, outlineColor: '#e67700', outlineWidth: 2, closingPointColor: '#e67700', closingPointOutlineColor: '#ffffff' };
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
      if (f) this.drawQuery(f.geometry, id);
    });
    return this.draw;
  }

  async startDraw(mode) {
    const d = await this.ensureDraw();
    d.clear();
    d.setMode(mode);
    this.drawMode = mode;
    // Free the map for drawing: the list opens again with the result.
    if (this.results.expanded) {
      this.results.expanded = false;
      this.results.render();
    }
    document.body.classList.add('drawing');
    this.render();
    $(`[data-draw="${mode}"]`, this.el)?.focus();
  }

  stopDraw() {
    if (!this.draw) return;
    this.draw.clear();
    this.draw.setMode('static');
    this.drawMode = null;
    document.body.classList.remove('drawing');
    this.render();
  }

  /** drawQuery lists the assets within a drawn shape, with the current filters. */
  drawQuery(geometry, id) {
    // Keep the finished shape on the map, stop drawing more.
    this.draw.setMode('static');
    for (const f of this.draw.getSnapshot()) if (f.id !== id) this.draw.removeFeatures([f.id]);
    this.drawMode = null;
    document.body.classList.remove('drawing');
    this.render();
    state.zoneQuery = null;
    showQueryArea(this.map, null);
    this.listWithin(geometry);
    emit('query');
  }

  /** listWithin lists the assets within a shape under the current filters. */
  listWithin(geometry) {
    showQueryHits(this.map, null);
    const within = JSON.stringify(geometry);
    const filters = structuredClone(state.filters);
    const source = {
      type: 'draw', title: t('results.draw'), filters, within, geometry, sort: { key: 'overlap_mu', dir: -1 },
      fetchAll: async () => {
        const fc = await api.assets(filters, { within, ...MARKS });
        if (this.results.source === source) showQueryHits(this.map, fc.features);
        return listOf(fc);
      },
      fetchFull: async () => (await api.assets(filters, { within, limit: LIMIT })).items,
    };
    this.results.show(source, { expand: true });
  }

  /** rerun runs the open zone query or drawn area again under changed filters. */
  rerun() {
    const src = this.results.source;
    if (state.zoneQuery && src?.type === 'zone') this.zoneQuery(state.zoneQuery, { frame: false });
    else if (src?.type === 'draw') this.listWithin(src.geometry);
  }

  /** clear ends any spatial query and returns the list to the filter results. */
  clear() {
    this.stopDraw();
    state.zoneQuery = null;
    showQueryArea(this.map, null);
    showQueryHits(this.map, null);
    emit('query-cleared');
  }
}
