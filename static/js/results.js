// The result list under the map: one list for filters, zone queries and drawn areas, with totals
// (count, 亩, 万元), sortable columns, paging, row → fly-to, and export.
import { h, $, toast } from './dom.js';
import { t, label, num, mu, wan, pct } from './i18n.js';
import { exportList, spatial } from './export.js';
import { STAGE_COLORS, MODE_COLORS } from './layers.js';
import { STAGES, MODES } from './state.js';

const PAGE = 50;
// Server-side sorts the /assets API accepts; client-side lists sort on any column.
const SERVER_SORTS = new Set(['code', 'name', 'area_mu', 'book_value', 'mode', 'stage']);

function columns(withOverlap) {
  const dot = (c) => h('span', { class: 'dot', style: { background: c } });
  return [
    { key: 'code', title: 'col.code', cell: (a) => h('code', {}, a.code) },
    { key: 'name', title: 'col.name', cell: (a) => a.name || '—', cls: 'wide' },
    { key: 'kind', title: 'col.kind', cell: (a) => label('kind', a.kind) },
    { key: 'region_name', title: 'col.region', cell: (a) => a.region_name || a.region_code || '—' },
    { key: 'area_mu', title: 'col.area_mu', cell: (a) => num(a.area_mu), cls: 'num' },
    withOverlap && { key: 'overlap_mu', title: 'col.overlap_mu', cell: (a) => num(a.overlap_mu), cls: 'num' },
    withOverlap && { key: 'overlap_share', title: 'col.overlap_share', cell: (a) => pct(a.overlap_share), cls: 'num' },
    { key: 'book_value', title: 'col.book_value', cell: (a) => num(a.book_value), cls: 'num' },
    { key: 'mode', title: 'col.mode', cell: (a) => [dot(MODE_COLORS[a.mode]), label('mode', a.mode)] },
    { key: 'stage', title: 'col.stage', cell: (a) => [dot(STAGE_COLORS[a.stage]), label('stage', a.stage)] },
  ].filter(Boolean);
}

// Stage and mode sort in their own order (未盘活 → 已盘活), not by their codes.
const ORDERS = { stage: STAGES, mode: MODES };

function compare(key, dir) {
  const order = ORDERS[key];
  const rank = (v) => (order && v != null ? order.indexOf(v) : v);
  return (x, y) => {
    const a = rank(x[key]), b = rank(y[key]);
    if (a == null && b == null) return 0;
    if (a == null) return 1;
    if (b == null) return -1;
    const c = typeof a === 'number' || typeof b === 'number' ? Number(a) - Number(b) : String(a).localeCompare(String(b), 'zh-CN');
    return dir * c;
  };
}

/**
 * Results renders one list "source" at a time:
 *   {type: 'filter'|'zone'|'draw', title, filters, within?, fetchPage(offset, limit, sort)} (server paged) or
 *   {type, title, fetchAll() | items, totals} (all items at once: sorted and paged here).
 */
export class Results {
  constructor(el, { onRow, onClose, onItems, session, aside }) {
    this.session = session;
    this.aside = aside; // (source, loading) → an element above the table (the query's charts), or null
    this.el = el;
    this.onItems = onItems;
    this.onRow = onRow;
    this.onClose = onClose;
    this.source = null;
    this.page = 0;
    this.sort = null; // {key, dir}
    this.data = null;
    this.expanded = false;
    this.loading = false;
    this.seq = 0;
  }

  /** show replaces the list's source and loads its first page. */
  async show(source, { expand } = {}) {
    this.onItems?.([]);
    this.source = source;
    this.page = 0;
    this.sort = source.sort || null;
    if (expand) this.expanded = true;
    await this.load();
  }

  async load() {
    const src = this.source;
    if (!src) return;
    if (src.fetchAll && !src.items) {
      this.loading = true;
      this.data = null;
      this.render();
      try {
        const res = await src.fetchAll();
        if (src !== this.source) return;
        src.items = res.items || [];
        src.totals = res.totals;
      } catch (e) {
        if (src !== this.source) return;
        this.data = { items: [], total: 0, error: e.message };
        this.loading = false;
        this.render();
        return;
      }
      this.loading = false;
    }
    if (src.items) {
      this.onItems?.(src.type === 'filter' ? [] : src.items);
      this.data = { items: src.items, total: src.items.length, totals: src.totals };
      this.render();
      return;
    }
    // Filters may change faster than pages arrive: only the newest request may fill the list.
    const seq = ++this.seq;
    this.loading = true;
    this.render();
    const sort = this.sort ? `${this.sort.dir < 0 ? '-' : ''}${this.sort.key}` : undefined;
    try {
      const data = await src.fetchPage(this.page * PAGE, PAGE, sort);
      if (!data || src !== this.source || seq !== this.seq) return;
      this.data = data;
      if (src.type !== 'filter') this.onItems?.(data.items);
    } catch (e) {
      if (seq !== this.seq) return;
      this.data = { items: [], total: 0, error: e.message };
    }
    this.loading = false;
    this.render();
  }

  visibleItems() {
    const items = this.data?.items || [];
    if (!this.source?.items) return items;
    const sorted = this.sort ? [...items].sort(compare(this.sort.key, this.sort.dir)) : items;
    return sorted.slice(this.page * PAGE, (this.page + 1) * PAGE);
  }

  sortable(key) { return this.source?.items ? true : SERVER_SORTS.has(key); }

  setSort(key) {
    const dir = this.sort?.key === key ? -this.sort.dir : (key === 'area_mu' || key === 'book_value' || key.startsWith('overlap') ? -1 : 1);
    this.sort = { key, dir };
    this.page = 0;
    if (this.source.items) this.render(); else this.load();
  }

  goto(page) {
    this.page = page;
    if (this.source.items) this.render(); else this.load();
  }

  totals() {
    const tot = this.data?.totals || {};
    const overlap = tot.overlap_mu != null;
    return h('div', { class: 'totals', 'aria-live': 'polite' },
      h('span', { class: 'total' }, h('b', { 'data-test': 'total-count' }, num(tot.count ?? this.data?.total ?? 0, 0)), ` ${t('unit.count') || t('results.count')}`),
      h('span', { class: 'total' }, h('b', {}, mu(tot.area_mu))),
      overlap ? h('span', { class: 'total' }, `${t('totals.overlap')} `, h('b', {}, mu(tot.overlap_mu))) : null,
      h('span', { class: 'total' }, h('b', {}, wan(tot.book_value))));
  }

  toolbar() {
    const src = this.source;
    const exp = (fmt) => h('button', {
      class: 'btn btn-small', type: 'button', 'data-export': fmt,
      onclick: async (e) => {
        const btn = e.currentTarget;
        btn.disabled = true;
        try {
          await exportList(fmt, { ...src, items: src.items }, { server: this.session?.canExport() });
        } catch (err) {
          toast(`${t('err.load')}：${err.message}`, 'error');
        } finally {
          btn.disabled = false;
        }
      },
    }, t(`export.${fmt}`));
    return h('div', { class: 'results-head' },
      h('button', {
        class: 'icon-btn toggle', type: 'button', 'aria-expanded': String(this.expanded), 'aria-controls': 'results-body',
        title: t(this.expanded ? 'results.collapse' : 'results.expand'),
        onclick: () => { this.expanded = !this.expanded; this.render(); },
      }, this.expanded ? '▾' : '▴'),
      h('h2', { class: 'results-title' }, src.title),
      this.totals(),
      h('div', { class: 'spacer' }),
      h('div', { class: 'export', role: 'group', 'aria-label': t('export') }, h('span', { class: 'muted' }, t('export')), exp('xlsx'), exp('csv'), exp('geojson'),
        this.session?.canExport() && src.type !== 'zone' ? [exp('shapefile'), exp('gpkg')] : h('span', { class: 'muted hint-export', title: t('auth.exportHint') }, 'ⓘ')),
      src.type !== 'filter' ? h('button', { class: 'icon-btn', type: 'button', title: t('results.close'), 'aria-label': t('results.close'), onclick: () => this.onClose() }, '×') : null);
  }

  tableEl() {
    const cols = columns(spatial(this.source));
    const head = h('tr', {}, cols.map((c) => {
      const sorted = this.sort?.key === c.key;
      const aria = sorted ? (this.sort.dir > 0 ? 'ascending' : 'descending') : 'none';
      const text = [t(c.title), sorted ? (this.sort.dir > 0 ? ' ▲' : ' ▼') : ''];
      return h('th', { scope: 'col', class: c.cls, 'aria-sort': aria },
        this.sortable(c.key) ? h('button', { type: 'button', class: 'th-btn', onclick: () => this.setSort(c.key) }, text) : text);
    }));
    const rows = this.visibleItems().map((a) => h('tr', {
      tabindex: '0', 'data-id': a.id, class: 'row',
      onclick: () => this.onRow(a),
      onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); this.onRow(a); } },
    }, cols.map((c) => h('td', { class: c.cls }, c.cell(a)))));
    return h('table', { class: 'grid' }, h('thead', {}, head), h('tbody', {}, rows));
  }

  pager() {
    const total = this.data?.total ?? 0;
    const pages = Math.max(1, Math.ceil(total / PAGE));
    return h('div', { class: 'pager' },
      h('button', { class: 'btn btn-small', type: 'button', disabled: this.page === 0, onclick: () => this.goto(this.page - 1) }, '‹ ', t('results.prev')),
      h('span', {}, t('results.page', { p: this.page + 1, n: pages })),
      h('button', { class: 'btn btn-small', type: 'button', disabled: this.page + 1 >= pages, onclick: () => this.goto(this.page + 1) }, t('results.next'), ' ›'));
  }

  render() {
    if (!this.source) return;
    this.el.hidden = false;
    this.el.classList.toggle('expanded', this.expanded);
    this.el.dataset.type = this.source.type;
    let body;
    if (this.loading && !this.data) body = h('p', { class: 'muted pad' }, t('results.loading'));
    else if (this.data?.error) body = h('p', { class: 'error pad', role: 'alert' }, `${t('err.load')}：${this.data.error}`);
    else if (!this.data?.items?.length) body = h('p', { class: 'muted pad' }, t('results.empty'));
    else body = [h('div', { class: 'table-wrap' }, this.tableEl()), this.pager()];
    this.el.replaceChildren(this.toolbar(), h('div', { id: 'results-body', class: 'results-body', hidden: !this.expanded, 'aria-busy': String(this.loading) },
      this.aside?.(this.source, this.loading), body));
    this.el.classList.toggle('loading', this.loading);
    $('.results-title', this.el).title = this.source.title;
  }
}
