// 盘活榜单 in five groups (leader view): the monthly table of the plans for one group — rank,
// unit, 项目数, 实物量, 经济效益, 入库收益, 本级可用财力, 典型案例 — from the approved reports
// (/api/v1/leaderboard?month=&group=), a group switch and month picker, the XLSX download, and the
// group's 12-month trend of 经济效益 (its total and top units).
import { h, $$, modal, fill, table } from './dom.js';
import { t, num } from './i18n.js';
import { getJSON } from './api.js';
import { loadLib } from './libs.js';

/** GROUPS are the five groups of the 榜单, in the plans' order. */
export const GROUPS = ['county', 'district', 'city', 'zone', 'enterprise'];

/** TOP_UNITS is how many units the trend draws beside the group's total. */
const TOP_UNITS = 5;

const pad = (n) => String(n).padStart(2, '0');

/** previousMonth is the month before now as 2026-09: the latest 榜单 (reports are due by the 25th). */
export function previousMonth(now = new Date()) {
  const d = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}`;
}

/** boardURL is the 榜单's address (format xlsx for the workbook). */
export function boardURL(month, group, format = '') {
  const p = new URLSearchParams({ month, group });
  if (format) p.set('format', format);
  return `/api/v1/leaderboard?${p}`;
}

/** quantities writes a row's 实物量: "10.5 亩；200 平方米". */
const quantities = (qs) => (qs?.length ? qs.map((q) => `${num(q.quantity, 2)} ${q.unit}`).join('；') : '—');

/** BoardScreen is the 盘活榜单 dialog. */
export class BoardScreen {
  constructor({ month = previousMonth(), group = 'county' } = {}) {
    this.month = month;
    this.group = group;
  }

  open() {
    this.tabs = h('div', { class: 'board-groups', role: 'group', 'aria-label': t('board.group') },
      GROUPS.map((g) => h('button', { type: 'button', class: 'btn btn-small', 'data-group': g, 'aria-pressed': String(g === this.group),
        onclick: () => { this.group = g; this.load(); } }, t(`board.group.${g}`))));
    this.monthInput = h('input', { type: 'month', id: 'board-month', value: this.month, required: true,
      onchange: (e) => { if (e.target.value) { this.month = e.target.value; this.load(); } } });
    this.download = h('a', { class: 'btn btn-small btn-primary', id: 'board-xlsx', download: '' }, t('board.download'));
    this.head = h('div', { class: 'board-head', 'aria-live': 'polite' });
    this.rows = h('div', { class: 'table-wrap board-table', id: 'board-rows' });
    this.trend = h('div', { class: 'board-trend', id: 'board-trend' });
    this.modal = modal({ id: 'board-screen', title: t('board.title'), wide: true, onClose: () => this.chart?.dispose() },
      h('div', { class: 'board-controls' }, this.tabs, h('label', { class: 'board-month' }, h('span', {}, t('board.month')), this.monthInput), this.download),
      this.head, this.rows, h('h3', {}, t('board.trend')), this.trend);
    return this.load();
  }

  /** load fetches the group's 榜单 and trend for the month and draws them. */
  async load() {
    const { month, group } = this;
    for (const b of $$('[data-group]', this.tabs)) b.setAttribute('aria-pressed', String(b.dataset.group === group));
    this.download.href = boardURL(month, group, 'xlsx');
    this.modal.dialog.dataset.loading = 'true';
    try {
      const [board, trend] = await Promise.all([
        getJSON(boardURL(month, group)),
        getJSON('/api/v1/leaderboard/trend', new URLSearchParams({ group, to: month, months: 12 })),
        loadLib('echarts'),
      ]);
      if (month !== this.month || group !== this.group) return; // a newer choice is loading
      this.render(board);
      this.renderTrend(trend);
    } catch (x) {
      fill(this.head, h('p', { class: 'notice error', role: 'alert' }, `${t('err.load')}：${x.message}`));
    } finally {
      if (month === this.month && group === this.group) delete this.modal.dialog.dataset.loading;
    }
  }

  render(b) {
    fill(this.head, h('h3', { class: 'board-title', 'data-test': 'board-title' }, b.title),
      h('p', { class: 'muted' }, t('board.madeAt', { date: b.made_at.slice(0, 10) }), ' · ', t('board.unit')));
    const cols = [
      { label: t('board.rank'), cell: (r) => String(r.rank), cls: 'num' },
      { label: t('board.unitName'), cell: (r) => h('strong', {}, r.unit_name) },
      { label: t('board.projects'), cell: (r) => num(r.projects, 0), cls: 'num' },
      { label: t('board.quantity'), cell: (r) => quantities(r.quantities) },
      { label: t('board.economic'), cell: (r) => h('span', { title: r.social_benefit || '' }, num(r.economic_benefit, 2)), cls: 'num' },
      { label: t('board.treasury'), cell: (r) => num(r.treasury_income, 2), cls: 'num' },
      { label: t('board.fiscal'), cell: (r) => num(r.fiscal_available, 2), cls: 'num' },
      { label: t('board.cases'), cell: (r) => (r.typical_cases.length ? r.typical_cases.join('；') : '—'), cls: 'cases' },
    ];
    const grid = table(cols, b.rows, (r) => ({ 'data-unit': r.unit_code }));
    // Each cell names its column: on a phone the rows become cards (board.css).
    for (const tr of grid.tBodies[0].rows) [...tr.cells].forEach((td, i) => { td.dataset.label = cols[i].label; });
    fill(this.rows, grid);
  }

  /** renderTrend draws the group's total and its top units over the 12 months. */
  renderTrend(tr) {
    this.chart ||= echarts.init(this.trend, null, { renderer: 'canvas' });
    const top = tr.units.slice(0, TOP_UNITS);
    this.chart.setOption({
      grid: { left: 8, right: 16, top: 40, bottom: 4, containLabel: true },
      legend: { top: 0, type: 'scroll' },
      tooltip: { trigger: 'axis', valueFormatter: (v) => `${num(v, 2)} ${t('unit.wan')}` },
      xAxis: { type: 'category', data: tr.months },
      yAxis: { type: 'value' },
      series: [
        { name: t('board.total'), type: 'line', data: tr.total, lineStyle: { width: 3 }, areaStyle: { opacity: 0.08 }, symbolSize: 6 },
        ...top.map((u) => ({ name: u.unit_name, type: 'line', data: u.economic_benefit, symbolSize: 4, lineStyle: { width: 1.5 } })),
      ],
    }, true);
    this.chart.resize();
  }
}
