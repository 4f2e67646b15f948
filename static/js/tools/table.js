// 属性表: a full-width table at the bottom of the map of one layer (an asset kind) within the view
// or the whole city, or of the current result list. Columns can be chosen, sorted and filtered
// one by one; selected rows are highlighted on the map (and a clicked feature selects its row);
// the selection can be framed and exported (CSV / XLSX, ids= on the list and export APIs).
// Thousands of rows scroll smoothly: only the rows in sight are in the DOM.
import { h, $, toast } from '../dom.js';
import { t, label, num, addWords } from '../i18n.js';
import { api } from '../api.js';
import { state, on, KINDS, STAGES, MODES, LAND_STATUSES, emptyFilters } from '../state.js';
import { exportList } from '../export.js';
import { bboxOf } from '../map.js';

addWords('zh', {
  'tbl.title': '属性表', 'tbl.layer': '图层', 'tbl.scope': '范围', 'tbl.scope.view': '视野内',
  'tbl.scope.city': '全市', 'tbl.scope.results': '当前结果', 'tbl.columns': '列', 'tbl.rows': '{n} 条', 'tbl.selected': '已选 {n}',
  'tbl.zoom': '缩放至所选', 'tbl.clear': '清除选择', 'tbl.close': '关闭属性表', 'tbl.filter': '筛选', 'tbl.all': '全选',
  'tbl.loading': '加载中…', 'tbl.empty': '没有记录', 'tbl.cap': '只列出前 {n} 条', 'tbl.tooMany': '所选超过 {n} 条，请缩小选择',
  'tbl.noneSelected': '请先选择行', 'col.appraised_value': '评估价值（万元）', 'col.revenue': '收益（万元）', 'col.updated_at': '更新时间',
  'col.responsible_unit': '责任单位',
});
addWords('en', {
  'tbl.title': 'Attribute table', 'tbl.layer': 'Layer', 'tbl.scope': 'Scope', 'tbl.scope.view': 'In view',
  'tbl.scope.city': 'Whole city', 'tbl.scope.results': 'Current results', 'tbl.columns': 'Columns', 'tbl.rows': '{n} rows', 'tbl.selected': '{n} selected',
  'tbl.zoom': 'Zoom to selection', 'tbl.clear': 'Clear selection', 'tbl.close': 'Close the table', 'tbl.filter': 'Filter', 'tbl.all': 'Select all',
  'tbl.loading': 'Loading…', 'tbl.empty': 'No rows', 'tbl.cap': 'Only the first {n} rows', 'tbl.tooMany': 'More than {n} selected: narrow the selection',
  'tbl.noneSelected': 'Select rows first', 'col.appraised_value': 'Appraised value (10k CNY)', 'col.revenue': 'Revenue (10k CNY)', 'col.updated_at': 'Updated',
  'col.responsible_unit': 'Responsible unit',
});

/** ROW_H is a row's height in pixels (fixed, so that only the rows in sight need drawing). */
const ROW_H = 30;
/** LIMIT is how many rows one table holds (the list API's own cap). */
const LIMIT = 10000;
/** MAX_IDS is how many selected assets the highlight and the export ask for at once (the API's cap). */
const MAX_IDS = 5000;
/** SEL is the map source (and layer prefix) of the highlighted selection. */
export const SEL = 'table-selection';

const landStatus = (a) => a.land?.land_status ?? null;
/** COLUMNS are the table's possible columns; type num filters by range, enum by its labels. */
const COLUMNS = [
  { key: 'code', title: 'col.code', on: true },
  { key: 'name', title: 'col.name', on: true },
  { key: 'kind', title: 'col.kind', enum: 'kind', order: KINDS },
  { key: 'region_name', title: 'col.region', on: true },
  { key: 'zone_name', title: 'col.zone' },
  { key: 'holder', title: 'col.holder', on: true },
  { key: 'area_mu', title: 'col.area_mu', num: true, on: true },
  { key: 'book_value', title: 'col.book_value', num: true, on: true },
  { key: 'appraised_value', title: 'col.appraised_value', num: true },
  { key: 'revenue', title: 'col.revenue', num: true },
  { key: 'mode', title: 'col.mode', enum: 'mode', order: MODES, on: true },
  { key: 'stage', title: 'col.stage', enum: 'stage', order: STAGES, on: true },
  { key: 'land_status', title: 'col.land_status', enum: 'land_status', order: LAND_STATUSES, get: landStatus, on: true },
  { key: 'responsible_unit', title: 'col.responsible_unit' },
  { key: 'updated_at', title: 'col.updated_at', get: (a) => a.updated_at?.slice(0, 10) ?? null },
];
const PROPS = 'code,name,kind,region_name,zone_name,holder,area_mu,book_value,appraised_value,revenue,mode,stage,land,responsible_unit,updated_at';

const value = (c, a) => (c.get ? c.get(a) : a[c.key] ?? null);
const shown = (c, a) => { const v = value(c, a); return c.enum ? label(c.enum, v) : c.num ? num(v) : v ?? '—'; };

/**
 * matcher turns a column filter into a test: numbers take ">10", "<=5", "10-20" or a plain
 * number (equal); text and labels match anywhere, case-insensitively.
 */
export function matcher(c, text) {
  const s = text.trim();
  if (!s) return null;
  if (c.num) {
    const range = /^(-?[\d.]+)\s*[-~]\s*(-?[\d.]+)$/.exec(s);
    const cmp = /^(>=|<=|>|<|=)?\s*(-?[\d.]+)$/.exec(s);
    if (range) return (a) => { const v = value(c, a); return v != null && v >= Number(range[1]) && v <= Number(range[2]); };
    if (cmp) {
      const n = Number(cmp[2]);
      const ops = { '>': (v) => v > n, '<': (v) => v < n, '>=': (v) => v >= n, '<=': (v) => v <= n, '=': (v) => Math.abs(v - n) < 1e-9 };
      const op = ops[cmp[1] || '='];
      return (a) => { const v = value(c, a); return v != null && op(Number(v)); };
    }
  }
  const low = s.toLowerCase();
  return (a) => String(shown(c, a)).toLowerCase().includes(low) || String(value(c, a) ?? '').toLowerCase().includes(low);
}

function comparer(c, dir) {
  const rank = (a) => { const v = value(c, a); return c.order && v != null ? c.order.indexOf(v) : v; };
  return (x, y) => {
    const a = rank(x), b = rank(y);
    if (a == null || b == null) return a == null ? (b == null ? 0 : 1) : -1;
    return dir * (typeof a === 'number' ? a - b : String(a).localeCompare(String(b), 'zh-CN'));
  };
}

/** viewArea is the map's view as a GeoJSON Polygon (the within= of "in view"). */
function viewArea(map) {
  const b = map.getBounds();
  const [w, s, e, n] = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => Number(v.toFixed(6)));
  return { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] };
}

/** chunks splits a list into pieces of n. */
const chunks = (list, n) => Array.from({ length: Math.ceil(list.length / n) }, (_, i) => list.slice(i * n, (i + 1) * n));

/**
 * AttributeTable is the 属性表 tool: open() shows it, a map control button toggles it.
 * results is the result list (its source is the "current results" scope); onRow(id) opens an asset.
 */
export class AttributeTable {
  /** btn is its button in the map's tool group (tools/registry.js). */
  constructor(map, { btn, results, session, onRow }) {
    this.map = map;
    this.results = results;
    this.session = session;
    this.onRow = onRow;
    this.el = h('section', { class: 'attr-table', id: 'attr-table', 'aria-label': t('tbl.title'), hidden: true });
    $('#map-wrap').append(this.el);
    this.kind = 'land';
    this.scope = 'view';
    this.cols = new Set(COLUMNS.filter((c) => c.on).map((c) => c.key));
    this.filters = {};
    this.sort = null;
    this.rows = [];
    this.view = [];
    this.selected = new Set();
    this.anchor = null;
    this.seq = 0;
    this.selFeatures = [];
    this.btn = btn;
    btn.onclick = () => this.toggle();
    on('selected', (id) => this.pick(id));
    on('lang', () => { if (!this.el.hidden) this.render(); });
    // "In view" follows the map (a pause after each move).
    map.on('moveend', () => {
      clearTimeout(this.moved);
      if (!this.el.hidden && this.scope === 'view') this.moved = setTimeout(() => this.load(), 400);
    });
  }

  toggle() { if (this.el.hidden) this.open(); else this.close(); }

  /** open shows the table ({kind, scope} optional) and loads its rows. */
  async open(opts = {}) {
    Object.assign(this, opts);
    this.el.hidden = false;
    document.body.classList.add('with-table');
    this.btn?.setAttribute('aria-pressed', 'true');
    await this.load();
  }

  close() {
    this.el.hidden = true;
    document.body.classList.remove('with-table');
    this.btn?.setAttribute('aria-pressed', 'false');
    this.selected.clear();
    this.highlight();
  }

  /** load fetches the rows of the chosen layer and scope (or of the result list). */
  async load() {
    const seq = ++this.seq;
    this.loading = true;
    this.error = null;
    this.render();
    try {
      const rows = await this.fetchRows();
      if (seq !== this.seq) return;
      this.rows = rows.items;
      this.capped = rows.total > this.rows.length;
    } catch (e) {
      if (seq !== this.seq) return;
      this.rows = [];
      this.error = e.message;
    }
    this.loading = false;
    const ids = new Set(this.rows.map((a) => a.id));
    this.selected = new Set([...this.selected].filter((id) => ids.has(id)));
    this.apply();
    this.highlight();
  }

  async fetchRows() {
    const fields = { limit: LIMIT, properties: PROPS, sort: 'code' };
    if (this.scope === 'results') {
      const src = this.results.source;
      const ids = (src?.items || this.results.data?.items || []).map((a) => a.id);
      if (src?.type !== 'filter' && ids.length <= MAX_IDS) return this.byIds(ids);
      return api.assets(src?.filters || state.filters, { ...fields, within: src?.within });
    }
    const within = this.scope === 'view' ? JSON.stringify(viewArea(this.map)) : undefined;
    return api.assets({ ...emptyFilters(), kind: [this.kind] }, { ...fields, within });
  }

  /** byIds fetches the rows of the given assets, in pieces the URL can carry. */
  async byIds(ids) {
    const parts = await Promise.all(chunks(ids, 1000).map((p) => api.assets(null, { ids: p.join(','), limit: LIMIT, properties: PROPS, sort: 'code' })));
    const items = parts.flatMap((p) => p.items);
    return { items, total: items.length };
  }

  /** apply filters and sorts the rows into the view and redraws. */
  apply() {
    const tests = COLUMNS.map((c) => matcher(c, this.filters[c.key] || '')).filter(Boolean);
    let rows = tests.length ? this.rows.filter((a) => tests.every((f) => f(a))) : this.rows;
    if (this.sort) rows = [...rows].sort(comparer(COLUMNS.find((c) => c.key === this.sort.key), this.sort.dir));
    this.view = rows;
    this.render();
  }

  setSort(key) {
    const dir = this.sort?.key === key ? -this.sort.dir : (COLUMNS.find((c) => c.key === key).num ? -1 : 1);
    this.sort = { key, dir };
    this.apply();
  }

  /** select handles a row click: alone, toggled (Ctrl/⌘ or the check box) or a range (Shift). */
  select(id, e = {}) {
    if (e.shiftKey && this.anchor != null) {
      const ids = this.view.map((a) => a.id);
      const [i, j] = [ids.indexOf(this.anchor), ids.indexOf(id)].sort((x, y) => x - y);
      if (i >= 0) for (const x of ids.slice(i, j + 1)) this.selected.add(x);
    } else if (e.ctrlKey || e.metaKey || e.toggle) {
      if (!this.selected.delete(id)) this.selected.add(id);
      this.anchor = id;
    } else {
      this.selected = new Set([id]);
      this.anchor = id;
    }
    this.renderRows();
    this.renderHead();
    this.highlight();
  }

  /** setSelection replaces the selection (the header check box: every row in the view, or none). */
  setSelection(ids) {
    this.selected = new Set(ids);
    this.renderRows();
    this.renderHead();
    this.highlight();
  }

  /** pick follows a feature clicked on the map: its row is selected and scrolled into sight. */
  pick(id) {
    if (this.el.hidden || id == null || this.selected.has(id) && this.selected.size === 1) return;
    const i = this.view.findIndex((a) => a.id === id);
    if (i < 0) return;
    this.selected = new Set([id]);
    this.anchor = id;
    const body = $('.tbl-body', this.el);
    if (body && (i * ROW_H < body.scrollTop || (i + 1) * ROW_H > body.scrollTop + body.clientHeight)) body.scrollTop = Math.max(0, i * ROW_H - body.clientHeight / 2);
    this.renderRows();
    this.renderHead();
    this.highlight();
  }

  /** highlight draws the selected assets' shapes on the map (fetched by ids=, in pieces). */
  async highlight() {
    const ids = [...this.selected].slice(0, MAX_IDS);
    const seq = (this.hlSeq = (this.hlSeq || 0) + 1);
    let features = [];
    if (ids.length) {
      try {
        const parts = await Promise.all(chunks(ids, 1000).map((p) => api.assets(null, { ids: p.join(','), limit: LIMIT, format: 'geojson', properties: 'code' })));
        features = parts.flatMap((p) => p.features);
      } catch (e) {
        toast(`${t('err.load')}：${e.message}`, 'error');
      }
    }
    if (seq !== this.hlSeq) return;
    this.selFeatures = features;
    this.drawSelection(features);
  }

  /**
   * drawSelection fills and outlines the selected shapes, and marks each by a point at its box's
   * centre below the parcel zooms (where a parcel is a pixel or two).
   */
  drawSelection(features) {
    const marks = features.map((f) => {
      const [x0, y0, x1, y1] = bboxOf(f.geometry);
      return { type: 'Feature', id: f.id, properties: { mark: true }, geometry: { type: 'Point', coordinates: [(x0 + x1) / 2, (y0 + y1) / 2] } };
    });
    const data = { type: 'FeatureCollection', features: [...features, ...marks] };
    const src = this.map.getSource(SEL);
    if (src) { src.setData(data); return; }
    if (!features.length) return;
    const shapes = ['!=', ['geometry-type'], 'Point'];
    this.map.addSource(SEL, { type: 'geojson', data });
    this.map.addLayer({ id: `${SEL}-fill`, type: 'fill', source: SEL, filter: shapes, paint: { 'fill-color': '#00e5ff', 'fill-opacity': 0.4 } });
    this.map.addLayer({ id: `${SEL}-line`, type: 'line', source: SEL, filter: shapes, paint: { 'line-color': '#0050b3', 'line-width': 3 } });
    this.map.addLayer({ id: `${SEL}-mark`, type: 'circle', source: SEL, maxzoom: 14, filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 7, 'circle-color': '#00e5ff', 'circle-stroke-color': '#0050b3', 'circle-stroke-width': 2.5 } });
  }

  /** zoom frames the selection above the table. */
  zoom() {
    if (!this.selFeatures.length) { toast(t('tbl.noneSelected')); return; }
    const b = [Infinity, Infinity, -Infinity, -Infinity];
    for (const f of this.selFeatures) {
      const [x0, y0, x1, y1] = bboxOf(f.geometry);
      b[0] = Math.min(b[0], x0); b[1] = Math.min(b[1], y0); b[2] = Math.max(b[2], x1); b[3] = Math.max(b[3], y1);
    }
    const mapH = this.map.getContainer().clientHeight;
    const bottom = Math.min(this.el.offsetHeight + 20, mapH * 0.6);
    const side = Math.min(60, this.map.getContainer().clientWidth * 0.1);
    this.map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: { top: 40, left: side, right: side, bottom }, maxZoom: 17, duration: 600 });
  }

  async exportSelection(fmt) {
    const ids = [...this.selected];
    if (!ids.length) { toast(t('tbl.noneSelected')); return; }
    if (ids.length > MAX_IDS) { toast(t('tbl.tooMany', { n: MAX_IDS }), 'error'); return; }
    const query = { type: 'table', title: t('tbl.title'), filters: emptyFilters(), ids: ids.join(',') };
    try {
      await exportList(fmt, query, { server: this.session?.canExport() });
    } catch (e) {
      toast(`${t('err.load')}：${e.message}`, 'error');
    }
  }

  columns() { return COLUMNS.filter((c) => this.cols.has(c.key)); }

  toolbar() {
    const opt = (v, text, cur) => h('option', { value: v, selected: v === cur }, text);
    const scope = h('select', { 'data-tbl': 'scope', 'aria-label': t('tbl.scope'), onchange: (e) => { this.scope = e.target.value; this.load(); } },
      ['view', 'city', 'results'].map((s) => opt(s, t(`tbl.scope.${s}`), this.scope)));
    const kind = h('select', { 'data-tbl': 'kind', 'aria-label': t('tbl.layer'), disabled: this.scope === 'results', onchange: (e) => { this.kind = e.target.value; this.load(); } },
      KINDS.map((k) => opt(k, label('kind', k), this.kind)));
    const pick = h('details', { class: 'tbl-cols' }, h('summary', { class: 'btn btn-small' }, t('tbl.columns')),
      h('div', { class: 'tbl-cols-list' }, COLUMNS.map((c) => h('label', {},
        h('input', { type: 'checkbox', 'data-col': c.key, checked: this.cols.has(c.key),
          onchange: (e) => { if (e.target.checked) this.cols.add(c.key); else this.cols.delete(c.key); this.render(); } }), t(c.title)))));
    const btn = (text, onclick, attrs = {}) => h('button', { type: 'button', class: 'btn btn-small', onclick, ...attrs }, text);
    return h('div', { class: 'tbl-head' },
      h('h2', {}, t('tbl.title')), kind, scope, pick,
      h('span', { class: 'tbl-count muted', 'aria-live': 'polite' }),
      h('div', { class: 'spacer' }),
      btn(t('tbl.zoom'), () => this.zoom(), { 'data-tbl': 'zoom' }),
      btn(t('tbl.clear'), () => this.setSelection([]), { 'data-tbl': 'clear' }),
      btn('CSV', () => this.exportSelection('csv'), { 'data-tbl-export': 'csv' }),
      btn('XLSX', () => this.exportSelection('xlsx'), { 'data-tbl-export': 'xlsx' }),
      h('button', { type: 'button', class: 'icon-btn', title: t('tbl.close'), 'aria-label': t('tbl.close'), onclick: () => this.close() }, '×'));
  }

  /** renderHead refreshes the counts and the select-all box (they follow every selection). */
  renderHead() {
    const count = $('.tbl-count', this.el);
    if (count) {
      count.textContent = `${t('tbl.rows', { n: num(this.view.length, 0) })} · ${t('tbl.selected', { n: num(this.selected.size, 0) })}${this.capped ? ` · ${t('tbl.cap', { n: num(LIMIT, 0) })}` : ''}`;
    }
    const all = $('[data-tbl="all"]', this.el);
    if (all) {
      const n = this.view.filter((a) => this.selected.has(a.id)).length;
      all.checked = n > 0 && n === this.view.length;
      all.indeterminate = n > 0 && n < this.view.length;
    }
  }

  gridHead() {
    const cols = this.columns();
    const sortMark = (c) => (this.sort?.key === c.key ? (this.sort.dir > 0 ? ' ▲' : ' ▼') : '');
    const all = h('input', { type: 'checkbox', 'data-tbl': 'all', 'aria-label': t('tbl.all'),
      onchange: (e) => this.setSelection(e.target.checked ? this.view.map((a) => a.id) : []) });
    return h('div', { class: 'tbl-grid-head', style: this.template() },
      h('div', { class: 'tbl-row tbl-titles', role: 'row' }, h('span', { class: 'tbl-check' }, all), cols.map((c) => h('button', {
        type: 'button', class: `tbl-th${c.num ? ' num' : ''}`, 'data-sort': c.key, role: 'columnheader', title: t(c.title),
        'aria-sort': this.sort?.key === c.key ? (this.sort.dir > 0 ? 'ascending' : 'descending') : 'none', onclick: () => this.setSort(c.key),
      }, t(c.title), sortMark(c)))),
      h('div', { class: 'tbl-row tbl-filters' }, h('span', { class: 'tbl-check' }), cols.map((c) => h('input', {
        type: 'search', class: 'tbl-filter', 'data-filter': c.key, value: this.filters[c.key] || '', placeholder: c.num ? '>10, 5-20' : t('tbl.filter'),
        'aria-label': `${t('tbl.filter')} ${t(c.title)}`,
        oninput: (e) => { this.filters[c.key] = e.target.value; clearTimeout(this.ft); this.ft = setTimeout(() => this.applyKeepFocus(c.key), 200); },
      }))));
  }

  /** applyKeepFocus re-filters while the user types in a column's filter box. */
  applyKeepFocus(key) {
    const box = $(`[data-filter="${key}"]`, this.el);
    const pos = box?.selectionStart;
    this.apply();
    const again = $(`[data-filter="${key}"]`, this.el);
    if (again) { again.focus(); if (pos != null) again.setSelectionRange(pos, pos); }
  }

  /** template is the grid's columns as CSS custom properties: --cols and the width they need, --min. */
  template() {
    const widths = this.columns().map((c) => (c.key === 'name' || c.key === 'holder' ? 160 : c.key === 'code' ? 148 : c.num ? 104 : 92));
    return { '--cols': ['32px', ...widths.map((w) => `minmax(${w}px, ${w > 150 ? 2 : 1}fr)`)].join(' '), '--min': `${32 + widths.reduce((a, b) => a + b, 0)}px` };
  }

  /** renderRows draws the rows in sight (and a few either side) inside a full-height spacer. */
  renderRows() {
    const body = $('.tbl-body', this.el);
    if (!body) return;
    const cols = this.columns();
    const first = Math.max(0, Math.floor(body.scrollTop / ROW_H) - 10);
    const last = Math.min(this.view.length, first + Math.ceil((body.clientHeight || 400) / ROW_H) + 20);
    const rows = this.view.slice(first, last).map((a, i) => {
      const sel = this.selected.has(a.id);
      return h('div', { class: `tbl-row row${sel ? ' selected' : ''}`, role: 'row', 'data-id': a.id, 'aria-selected': String(sel), style: { top: `${(first + i) * ROW_H}px` },
        onclick: (e) => { if (e.target.type !== 'checkbox') this.select(a.id, e); },
        ondblclick: () => this.onRow?.(a.id) },
      h('span', { class: 'tbl-check' }, h('input', { type: 'checkbox', checked: sel, 'aria-label': a.code, onchange: () => this.select(a.id, { toggle: true }) })),
      cols.map((c) => h('span', { class: `tbl-td${c.num ? ' num' : ''}`, title: String(shown(c, a)) }, shown(c, a))));
    });
    $('.tbl-spacer', this.el).style.height = `${this.view.length * ROW_H}px`;
    $('.tbl-spacer', this.el).replaceChildren(...rows);
  }

  render() {
    if (this.el.hidden) return;
    this.el.setAttribute('aria-label', t('tbl.title'));
    let body;
    if (this.loading) body = h('p', { class: 'muted pad' }, t('tbl.loading'));
    else if (this.error) body = h('p', { class: 'error pad', role: 'alert' }, `${t('err.load')}：${this.error}`);
    else if (!this.view.length && !this.rows.length) body = h('p', { class: 'muted pad' }, t('tbl.empty'));
    else {
      const scroller = h('div', { class: 'tbl-body', role: 'rowgroup', onscroll: () => requestAnimationFrame(() => this.renderRows()) },
        h('div', { class: 'tbl-spacer', style: this.template() }));
      // Header and body scroll sideways together.
      const wrap = h('div', { class: 'tbl-wrap', role: 'grid', 'aria-rowcount': String(this.view.length) }, this.gridHead(), scroller);
      body = wrap;
    }
    this.el.replaceChildren(this.toolbar(), body);
    this.renderHead();
    this.renderRows();
  }
}
