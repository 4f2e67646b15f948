// Spatial queries: a development zone in one click ("园区闲置土地") or a drawn polygon, rectangle or
// circle (terra-draw), each feeding the result list.
import { h, $, toast } from './dom.js';
import { t } from './i18n.js';
import { api } from './api.js';
import { state, emit } from './state.js';
import { showQueryArea, showQueryHits, framePadding } from './map.js';
import { loadLib } from './libs.js';

const IDLE = { kind: 'land', land_status: 'idle,approved_unsupplied' };
// Up to this many results of a spatial query come at once, each with a point on its surface and
// the fields the list shows (an export asks once more, for every field and the geometry:
// fetchFeatures).
const LIMIT = 10000;
const ALL = { limit: LIMIT, format: 'geojson', geometry: 'center',
  properties: 'code,name,kind,region_code,region_name,area_mu,overlap_mu,overlap_share,book_value,mode,stage' };

/** listOf turns a GeoJSON answer of the list API into the list's shape. */
const listOf = (fc) => ({ items: fc.features.map((f) => f.properties), total: fc.numberMatched, totals: fc.totals });

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
  async zoneQuery(q) {
    this.stopDraw();
    state.zoneQuery = q;
    showQueryHits(this.map, null);
    this.render();
    emit('query');
    const zone = this.zones.find((z) => z.code === q.code);
    const extra = q.preset === 'idle' ? { ...IDLE } : {};
    if (q.min_area_mu) extra.min_area_mu = q.min_area_mu;
    const title = `${t(q.preset === 'idle' ? 'query.zone.idle' : 'query.zone.all')}：${zone?.name || q.code}`;
    await this.results.show({
      type: 'zone', title, sort: { key: 'overlap_mu', dir: -1 },
      fetchAll: async () => {
        const fc = await api.zoneAssets(q.code, { ...extra, ...ALL });
        if (state.zoneQuery === q) {
          showQueryHits(this.map, fc.features);
          if (zone?.bbox) this.map.fitBounds([[zone.bbox[0], zone.bbox[1]], [zone.bbox[2], zone.bbox[3]]], { padding: framePadding(), duration: 800 });
        }
        return listOf(fc);
      },
      fetchFeatures: (page) => api.zoneAssets(q.code, { ...extra, ...page, format: 'geojson' }),
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
    showQueryHits(this.map, null);
    const within = JSON.stringify(geometry);
    const filters = structuredClone(state.filters);
    const source = {
      type: 'draw', title: t('results.draw'), filters, within, sort: { key: 'overlap_mu', dir: -1 },
      fetchAll: async () => {
        const fc = await api.assets(filters, { within, ...ALL });
        if (this.results.source === source) showQueryHits(this.map, fc.features);
        return listOf(fc);
      },
      fetchFeatures: (page) => api.assets(filters, { within, ...page, format: 'geojson' }),
    };
    this.results.show(source, { expand: true });
    emit('query');
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
