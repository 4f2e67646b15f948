// 查询统计: small charts at the top of the result list — count, 亩 and 万元 of a zone query, a drawn
// area or the filters, by kind, stage, mode and land status. The figures are /api/v1/stats's
// under the list's own filters: the filters (and within=) of a filter or drawn list, ids= of a
// zone list's assets (the zone list's own rules: overlap, open stages); a zone list of more
// assets than ids= takes is counted here from its items (without land status, which they lack).
import { h } from '../dom.js';
import { t, label, num, addWords } from '../i18n.js';
import { getJSON, params } from '../api.js';
import { loadLib } from '../libs.js';
import { KINDS, STAGES, MODES, LAND_STATUSES } from '../state.js';
import { KIND_COLORS, STAGE_COLORS, MODE_COLORS } from '../layers.js';

addWords('zh', {
  'qs.title': '查询统计', 'qs.show': '显示统计图', 'qs.hide': '收起统计图', 'qs.count': '数量', 'qs.mu': '亩', 'qs.wan': '万元',
  'qs.kind': '按类型', 'qs.stage': '按阶段', 'qs.mode': '按方式', 'qs.land_status': '按土地状态', 'qs.none': '无',
});
addWords('en', {
  'qs.title': 'Query statistics', 'qs.show': 'Show charts', 'qs.hide': 'Hide charts', 'qs.count': 'Count', 'qs.mu': 'mu', 'qs.wan': '10k CNY',
  'qs.kind': 'By kind', 'qs.stage': 'By stage', 'qs.mode': 'By mode', 'qs.land_status': 'By land status', 'qs.none': 'None',
});

/** DIMS are the groupings charted, with their value order and colours. */
export const DIMS = [
  { key: 'kind', order: KINDS, colors: KIND_COLORS },
  { key: 'stage', order: STAGES, colors: STAGE_COLORS },
  { key: 'mode', order: MODES, colors: MODE_COLORS },
  { key: 'land_status', order: LAND_STATUSES, colors: {} },
];
/** MEASURES are the figures one can chart: the stats answer's field and its word. */
export const MEASURES = [
  { key: 'count', field: 'count', word: 'qs.count', digits: 0 },
  { key: 'mu', field: 'area_mu', word: 'qs.mu', digits: 2 },
  { key: 'wan', field: 'book_value', word: 'qs.wan', digits: 2 },
];
const MAX_IDS = 5000;

/** statsQuery is the /api/v1/stats query of a list source, or null where its items must be counted here. */
function statsQuery(src) {
  if (src.type === 'zone') {
    const ids = (src.items || []).map((a) => a.id);
    return ids.length <= MAX_IDS ? { filters: null, extra: { ids: ids.join(',') || '0' } } : null;
  }
  return { filters: src.filters, extra: { within: src.within } };
}

/** countItems groups a list's items by dim as the stats API would (count, 亩, 万元). */
export function countItems(items, dim) {
  const groups = new Map();
  for (const a of items) {
    const v = a[dim] ?? null;
    const g = groups.get(v) || { [dim]: v, count: 0, area_mu: 0, book_value: 0 };
    g.count++;
    g.area_mu += Number(a.area_mu) || 0;
    g.book_value += Number(a.book_value) || 0;
    groups.set(v, g);
  }
  return { groups: [...groups.values()] };
}

/** fetchStats fetches each dimension's groups for a list source: {kind: {groups}, ...}. */
async function fetchStats(src) {
  const q = statsQuery(src);
  const one = (d) => {
    if (q) return getJSON('/api/v1/stats', params(q.filters, { ...q.extra, group_by: d.key }));
    return Promise.resolve(d.key === 'land_status' ? null : countItems(src.items || [], d.key));
  };
  const answers = await Promise.all(DIMS.map(one));
  return Object.fromEntries(DIMS.map((d, i) => [d.key, answers[i]]));
}

/** series lays a dimension's groups along its order (values with no assets left out). */
export function series(stats, dim, measure) {
  const by = new Map((stats?.groups || []).map((g) => [g[dim.key] ?? '', g]));
  const keys = [...dim.order.filter((k) => by.has(k)), ...(by.has('') ? [''] : [])];
  return keys.map((k) => ({ key: k, name: k ? label(dim.key, k) : t('qs.none'), value: Number(by.get(k)[measure.field]) || 0, color: dim.colors[k] || '#748ffc' }));
}

/**
 * QueryStats makes the charts block of a result list: block(source) is its element (kept per
 * source, so the list's re-renders do not fetch again), loaded once the source has its items.
 */
export class QueryStats {
  constructor() {
    this.measure = 'count';
    this.blocks = new WeakMap();
    this.open = null; // null: open for spatial queries, closed for the filter list
  }

  /** block is the charts element of a list source (null while the list is loading). */
  block(src, loading) {
    if (!src || (loading && src.fetchAll && !src.items)) return null;
    // The filter list keeps its source while the filters change: its block follows the filters.
    const key = src.type === 'filter' ? String(params(src.filters)) : null;
    let b = key == null ? this.blocks.get(src) : this.filterBlock?.key === key ? this.filterBlock : null;
    if (!b) {
      b = { el: h('div', { class: 'qstats', 'data-qstats': src.type }), charts: {}, data: null, key };
      if (key == null) this.blocks.set(src, b);
      else { this.dispose(this.filterBlock); this.filterBlock = b; }
    }
    this.draw(src, b);
    return b.el;
  }

  dispose(b) {
    for (const c of Object.values(b?.charts || {})) c.dispose();
    if (b) { b.charts = {}; b.grid = null; }
  }

  async load(src, b) {
    b.loading = true;
    try {
      const [data] = await Promise.all([fetchStats(src), loadLib('echarts')]);
      b.data = data;
      b.el.dataset.ready = 'true';
    } catch (e) {
      b.error = e.message;
    }
    b.loading = false;
    this.draw(src, b);
  }

  isOpen(src) { return this.open ?? src.type !== 'filter'; }

  head(src, b) {
    const open = this.isOpen(src);
    const m = (x) => h('button', { type: 'button', class: 'btn btn-small', 'data-measure': x.key, 'aria-pressed': String(this.measure === x.key),
      onclick: () => { this.measure = x.key; this.draw(src, b); } }, t(x.word));
    return h('div', { class: 'qstats-head' },
      h('h3', {}, t('qs.title')),
      open ? h('div', { class: 'qstats-measure', role: 'group' }, MEASURES.map(m)) : null,
      h('button', { type: 'button', class: 'btn btn-small', 'data-qstats-toggle': '', 'aria-expanded': String(open),
        onclick: () => { this.open = !open; this.draw(src, b); } }, t(open ? 'qs.hide' : 'qs.show')));
  }

  /** draw (re)builds the block: its head, and a chart per dimension once the figures are in. */
  draw(src, b) {
    const open = this.isOpen(src);
    if (open && !b.data && !b.loading && !b.error) this.load(src, b);
    if (!open || b.error || !b.data || !window.echarts) {
      this.dispose(b);
      const note = b.error ? h('p', { class: 'error', role: 'alert' }, `${t('err.load')}：${b.error}`) : open && !b.data ? h('p', { class: 'muted' }, t('results.loading')) : null;
      b.el.replaceChildren(this.head(src, b), note);
      return;
    }
    const measure = MEASURES.find((x) => x.key === this.measure);
    const dims = DIMS.filter((d) => b.data[d.key]);
    if (!b.grid || b.grid.dataset.dims !== dims.map((d) => d.key).join()) {
      this.dispose(b);
      b.grid = h('div', { class: 'qstats-grid', 'data-dims': dims.map((d) => d.key).join() }, dims.map((d) => h('div', { class: 'qstats-card' },
        h('h4', {}, t(`qs.${d.key}`)), h('div', { class: 'qstats-chart', 'data-dim': d.key }))));
    }
    b.el.replaceChildren(this.head(src, b), b.grid);
    // Charts size themselves once their boxes are in the page.
    requestAnimationFrame(() => {
      for (const d of dims) {
        const box = b.grid.querySelector(`[data-dim="${d.key}"]`);
        if (!box.isConnected) continue;
        b.charts[d.key] ||= echarts.init(box, null, { renderer: 'canvas' });
        b.charts[d.key].setOption(chartOption(series(b.data[d.key], d, measure), measure), true);
        b.charts[d.key].resize();
      }
      b.el.dataset.shown = measure.key; // what the charts show now
    });
  }
}

/** chartOption is a small horizontal bar chart of one dimension in one measure. */
function chartOption(rows, measure) {
  return {
    animation: false,
    grid: { left: 4, right: 44, top: 6, bottom: 2, containLabel: true },
    tooltip: { trigger: 'item', valueFormatter: (v) => `${num(v, measure.digits)} ${t(measure.word)}` },
    xAxis: { type: 'value', show: false },
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.name), axisTick: { show: false }, axisLabel: { fontSize: 11, color: '#445', interval: 0 } },
    series: [{
      type: 'bar', barMaxWidth: 14, name: t(measure.word),
      data: rows.map((r) => ({ value: r.value, key: r.key, itemStyle: { color: r.color } })),
      label: { show: true, position: 'right', fontSize: 11, formatter: (p) => num(p.value, measure.key === 'count' ? 0 : 1) },
    }],
  };
}
