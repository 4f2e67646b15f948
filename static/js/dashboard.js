// The leader view (#/dashboard): headline figures, totals by kind and by mode, area by county and
// stage, stage progress, the county ranking (盘活榜单) and each county's standing against its
// yearly targets, beside the map; clicking a county filters the map to it. A province of cities
// lists its cities first; clicking one drills down to its counties (the map filter follows:
// region=the city's code), with a breadcrumb back (省 › 市). Sized for a 1920×1080 screen.
import { h, $, tablist } from './dom.js';
import { t, label, num, mu, wan, pct, getLang } from './i18n.js';
import { state, emit, KINDS, STAGES, MODES, LIST_FILTERS, emptyFilters } from './state.js';
import { loadTrend, trendOption } from './trend.js';
import { api, latest } from './api.js';
import { STAGE_COLORS, MODE_COLORS, KIND_COLORS } from './layers.js';
import { loadLib } from './libs.js';
import { framePadding } from './map.js';
import { drill, asRegionGroups } from './province.js';
import { BoardScreen } from './board.js';

const TEXT = '#c9d6e8';
const AXIS = '#4a5f7a';

function group(groups, keys) {
  const out = new Map();
  for (const g of groups) {
    const k = keys.map((x) => g[x]).join('|');
    const cur = out.get(k) || { count: 0, area_mu: 0, book_value: 0, revenue: 0 };
    for (const f of ['count', 'area_mu', 'book_value', 'revenue']) cur[f] += Number(g[f]) || 0;
    out.set(k, cur);
  }
  return out;
}

const baseOption = () => ({
  backgroundColor: 'transparent',
  textStyle: { color: TEXT, fontFamily: 'inherit', fontSize: 14 },
  animationDuration: 500,
});

/** METRICS lists the yearly target measures in display order (see /api/v1/progress). */
const METRICS = ['done_count', 'revenue', 'idle_share', 'approved_unsupplied_share'];

const formatMetric = (metric, v) => (metric.endsWith('_share') ? pct(v, 0) : num(v, 0));

const metricUnit = (m) => (m === 'done_count' ? t('unit.count') : m === 'revenue' || m === 'benefit' ? t('unit.wan') : '');

/**
 * targetCell shows the completion of one target as text, actual / target (xx %), coloured met
 * (≥ 100 %), near (≥ 70 %) or behind.
 */
function targetCell(p) {
  if (!p) return h('td', { class: 'num muted' }, '—');
  const tone = p.ratio >= 1 ? 'met' : p.ratio >= 0.7 ? 'near' : 'behind';
  const unit = metricUnit(p.metric);
  return h('td', { class: `num target ${tone}`, 'data-metric': p.metric,
    title: `${t(`target.${p.metric}`)}：${formatMetric(p.metric, p.actual)} / ${formatMetric(p.metric, p.target)}${unit ? ' ' + unit : ''}` },
  h('span', { class: 'target-figures' }, `${formatMetric(p.metric, p.actual)} / ${formatMetric(p.metric, p.target)}`),
  ' (', h('b', {}, pct(p.ratio, 0)), ')');
}

/** fieldTargets is each 工作领域's approved 经济效益 against its 预期盘活效益 (none: nothing). */
function fieldTargets(fields) {
  if (!fields.length) return null;
  return h('table', { class: 'rank targets fields', 'data-test': 'field-targets' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('dash.fields')), h('th', { scope: 'col' }, t('dash.fields.lead')),
      h('th', { scope: 'col', class: 'num' }, t('target.benefit')))),
    h('tbody', {}, fields.map((f) => h('tr', { 'data-field': f.field }, h('td', { class: 'county' }, t(`board.field.${f.field}`)),
      h('td', {}, f.lead_unit || '—'), targetCell({ ...f, metric: 'benefit' })))));
}

/** Dashboard draws the leader view into its section. */
export class Dashboard {
  constructor(el, kpisEl, { regions, deployment, onCounty }) {
    this.el = el;
    this.kpisEl = kpisEl;
    this.regions = regions;
    this.deployment = deployment;
    this.onCounty = onCounty;
    this.charts = {};
    this.data = null;
    this.fetch = latest(async (signal) => {
      const f = state.filters;
      const d = this.drill();
      const [byRegion, byKind, byMode, progress, trend] = await Promise.all([
        api.stats(`${d.group},stage`, { ...f, region: d.region }, { signal }),
        api.stats('kind', f, { signal }),
        api.stats('mode', f, { signal }),
        api.progress(this.year, { signal }),
        loadTrend(signal, d.rowLevel).catch(() => null),
      ]);
      byRegion.groups = asRegionGroups(byRegion.groups);
      return { byRegion, byKind, byMode, progress, trend, drill: d };
    });
    this.year = new Date().getFullYear();
    tablist([$('#tab-ranking', this.el), $('#tab-targets', this.el), $('#tab-trend', this.el)]);
    $('#open-board', this.el).addEventListener('click', () => new BoardScreen().open());
    // A chart drawn while its tab was hidden has no size: draw it when the tab shows.
    $('#tab-trend', this.el).addEventListener('click', () => requestAnimationFrame(() => { this.renderTrend(); this.charts['chart-trend']?.resize(); }));
  }

  /** drill tells where the view stands for the map's region filter (see province.js). */
  drill() { return drill(this.regions, this.deployment, state.filters.region); }

  /** inScope tells whether a row's figures count in the headline (the picked county, or all). */
  inScope(code) {
    const d = this.data.drill;
    if (d.county) return code === d.county.code;
    return Boolean(d.city) || !state.filters.region.length || state.filters.region.includes(code);
  }

  /**
   * countyRow is a table row that filters the map to its county on click, Enter or Space (a
   * city's row drills down to its counties).
   */
  countyRow(code, cells) {
    return h('tr', {
      tabindex: '0', class: this.selectedRegion()?.code === code ? 'selected' : '', 'data-region': code,
      onclick: () => this.onCounty(code),
      onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); this.onCounty(code); } },
    }, cells);
  }

  chart(id) {
    if (!this.charts[id]) {
      this.charts[id] = echarts.init($(`#${id}`, this.el), null, { renderer: 'canvas' });
    }
    return this.charts[id];
  }

  /** load fetches the figures under the current filters and draws everything. */
  async load() {
    try {
      const [d] = await Promise.all([this.fetch(), loadLib('echarts')]);
      if (!d) return;
      this.data = d;
      this.render();
    } catch (e) {
      this.kpisEl.replaceChildren(h('p', { class: 'error', role: 'alert' }, `${t('err.load')}：${e.message}`));
    }
  }

  render() {
    if (!this.data) return;
    this.renderKpis();
    this.renderKinds();
    this.renderModes();
    this.renderCounties();
    this.renderProgress();
    this.renderRanking();
    this.renderTargets();
    this.renderTrend();
  }

  renderTrend() {
    const box = $('#chart-trend', this.el);
    if (!this.data?.trend || box.offsetParent === null) return;
    const city = this.data.drill.city;
    const trend = city ? { ...this.data.trend, counties: this.data.trend.counties.filter((c) => c.code.startsWith(city.code.slice(0, 4))) } : this.data.trend;
    this.chart('chart-trend').setOption(trendOption(trend, baseOption(), { text: TEXT, axis: AXIS, selected: this.selectedRegion()?.code }), true);
  }

  /**
   * filterChips names the map's filters the figures follow (the county is the scope above), with
   * a reset: the leader view never silently shows a filtered city.
   */
  filterChips() {
    const f = state.filters;
    const chips = [];
    for (const k of LIST_FILTERS) {
      if (k === 'region' || !f[k].length) continue;
      chips.push(`${t(k)}：${f[k].map((v) => (k === 'zone' ? v : label(k === 'mode' ? 'mode.long' : k, v))).join('、')}`);
    }
    if (f.min_area_mu !== '' || f.max_area_mu !== '') chips.push(`${t('filters.area')}：${f.min_area_mu || 0}–${f.max_area_mu || '∞'}`);
    if (f.q) chips.push(`${t('filters.q')}：${f.q}`);
    if (!chips.length) return null;
    return h('div', { class: 'dash-filters', 'data-test': 'dash-filters' },
      h('span', { class: 'muted' }, t('dash.filters')),
      chips.map((c) => h('span', { class: 'filter-chip' }, c)),
      h('button', { type: 'button', class: 'btn btn-small btn-ghost', 'data-test': 'dash-reset',
        onclick: () => { state.filters = emptyFilters(); emit('filters'); } }, t('dash.reset')));
  }

  resize() { for (const c of Object.values(this.charts)) c.resize(); }

  /** selectedRegion is the county picked among the rows (null: none). */
  selectedRegion() { return (this.data?.drill || this.drill()).county; }

  /** scope is the headline's place: a breadcrumb in a province (省 › 市 › 县), else the county or city. */
  scope() {
    const d = this.data.drill;
    const sel = this.selectedRegion();
    const hint = h('div', { class: 'muted' }, t(d.rowLevel === 'city' ? 'dash.clickHint.city' : 'dash.clickHint'));
    if (d.crumbs.length < 2) {
      return [h('div', { class: 'scope-name' }, sel ? sel.name : t('app.city')),
        sel ? h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: () => this.onCounty(null) }, t('dash.clear')) : hint];
    }
    const last = d.crumbs.length - 1;
    return [h('div', { class: 'scope-name' }, d.crumbs[last].name),
      h('nav', { class: 'crumbs', 'data-test': 'crumbs', 'aria-label': t('dash.crumbs') }, d.crumbs.map((c, i) => (i < last
        ? [h('button', { type: 'button', class: 'crumb', 'data-region': c.code || '', onclick: () => this.onCounty(c.code) }, c.name), h('span', { class: 'crumb-sep', 'aria-hidden': 'true' }, '›')]
        : h('span', { class: 'crumb', 'aria-current': 'page' }, c.name)))),
      sel ? null : hint];
  }

  renderKpis() {
    const tot = this.data.byKind.totals || {};
    const done = this.data.byRegion.groups.filter((g) => g.stage === 'done' && this.inScope(g.region_code))
      .reduce((s, g) => s + (Number(g.area_mu) || 0), 0);
    const rate = tot.area_mu ? done / tot.area_mu : 0;
    const kpi = (key, value, unit, extra) => h('div', { class: 'kpi' }, h('div', { class: 'kpi-label' }, t(key)),
      h('div', { class: 'kpi-value' }, value, unit ? h('small', {}, unit) : null), extra);
    this.kpisEl.replaceChildren(
      h('div', { class: 'kpi-scope' }, this.scope(), this.filterChips()),
      kpi('dash.total', num(tot.count, 0), t('unit.count')),
      kpi('dash.area', num(tot.area_mu, 0), t('unit.mu')),
      kpi('dash.value', num(tot.book_value, 0), t('unit.wan')),
      kpi('dash.revenue', num(tot.revenue, 0), t('unit.wan')),
      kpi('dash.rate', num(rate * 100, 1), '%', h('div', { class: 'kpi-bar', title: t('dash.rate.hint') }, h('span', { style: { width: `${Math.min(100, rate * 100)}%` } }))));
  }

  renderKinds() {
    const g = group(this.data.byKind.groups, ['kind']);
    const kinds = [...KINDS].reverse();
    this.chart('chart-kind').setOption({
      ...baseOption(),
      grid: { left: 8, right: 90, top: 6, bottom: 6, containLabel: true },
      tooltip: { trigger: 'item', formatter: (p) => `${p.name}<br>${num(g.get(kinds[p.dataIndex])?.count || 0, 0)} ${t('unit.count')} · ${mu(p.value, 0)}` },
      xAxis: { type: 'value', show: false },
      yAxis: { type: 'category', data: kinds.map((k) => label('kind', k)), axisLine: { show: false }, axisTick: { show: false }, axisLabel: { color: TEXT, fontSize: 14, interval: 0 } },
      series: [{ type: 'bar', barWidth: '58%', data: kinds.map((k) => ({ value: Math.round(g.get(k)?.area_mu || 0), itemStyle: { color: KIND_COLORS[k], borderRadius: [0, 4, 4, 0] } })),
        label: { show: true, position: 'right', color: TEXT, fontSize: 12.5, formatter: (p) => `${num(g.get(kinds[p.dataIndex])?.count || 0, 0)} ${t('unit.count')} / ${num(p.value, 0)} ${t('unit.mu')}` } }],
    }, true);
  }

  renderModes() {
    const g = group(this.data.byMode.groups, ['mode']);
    this.chart('chart-mode').setOption({
      ...baseOption(),
      tooltip: { trigger: 'item', formatter: (p) => `${p.name}<br>${num(p.data.count, 0)} ${t('unit.count')} · ${mu(p.value, 0)} (${p.percent}%)` },
      legend: { orient: 'vertical', right: 6, top: 'middle', textStyle: { color: TEXT, fontSize: 14 }, itemWidth: 12, itemHeight: 12,
        // The shares sit in the legend: leader lines collide with it in a laptop-sized card.
        formatter: (name) => {
          const total = MODES.reduce((s2, m) => s2 + (g.get(m)?.area_mu || 0), 0);
          const m = MODES.find((x) => label('mode.long', x) === name);
          return `${name}  ${total ? Math.round(((g.get(m)?.area_mu || 0) / total) * 100) : 0}%`;
        } },
      series: [{ type: 'pie', radius: ['45%', '72%'], center: ['32%', '52%'], avoidLabelOverlap: true,
        itemStyle: { borderColor: '#0f2540', borderWidth: 2 },
        label: { show: false },
        data: MODES.map((m) => ({ name: label('mode.long', m), value: Math.round(g.get(m)?.area_mu || 0), count: g.get(m)?.count || 0, itemStyle: { color: MODE_COLORS[m] } })) }],
    }, true);
  }

  countyRows() {
    const g = group(this.data.byRegion.groups, ['region_code', 'stage']);
    const names = new Map(this.data.byRegion.groups.map((x) => [x.region_code, x.region_name]));
    for (const r of this.data.drill.rows) names.set(r.code, r.name);
    return [...names.keys()].filter(Boolean).map((code) => {
      const row = { code, name: names.get(code) || code, area: 0, count: 0, revenue: 0 };
      for (const s of STAGES) {
        const v = g.get(`${code}|${s}`);
        row[s] = v?.area_mu || 0;
        row.area += row[s];
        row.count += v?.count || 0;
        row.revenue += v?.revenue || 0;
      }
      row.rate = row.area ? row.done / row.area : 0;
      return row;
    }).sort((a, b) => b.area - a.area);
  }

  renderCounties() {
    const rows = this.countyRows();
    const sel = this.selectedRegion()?.code;
    const head = $('#chart-county', this.el).previousElementSibling;
    head.dataset.i18n = this.data.drill.rowLevel === 'city' ? 'dash.byCity' : 'dash.byCounty';
    head.textContent = t(head.dataset.i18n);
    const c = this.chart('chart-county');
    c.setOption({
      ...baseOption(),
      grid: { left: 8, right: 16, top: 40, bottom: 4, containLabel: true },
      legend: { top: 0, textStyle: { color: TEXT, fontSize: 14 }, itemWidth: 12, itemHeight: 12 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => mu(v, 0) },
      xAxis: { type: 'category', data: rows.map((r) => r.name),
        axisLabel: { color: TEXT, fontSize: 15 },
        axisLine: { lineStyle: { color: AXIS } } },
      yAxis: { type: 'value', name: t('unit.mu'), nameTextStyle: { color: TEXT }, axisLabel: { color: TEXT }, splitLine: { lineStyle: { color: '#1f3652' } } },
      series: STAGES.map((s) => ({
        name: label('stage', s), type: 'bar', stack: 'area', barWidth: '52%',
        itemStyle: { color: STAGE_COLORS[s] },
        data: rows.map((r) => ({ value: Math.round(r[s]), itemStyle: sel && sel !== r.code ? { opacity: 0.3 } : undefined })),
      })),
    }, true);
    c.off('click');
    c.on('click', (p) => this.onCounty(rows[p.dataIndex]?.code));
    this.countyCodes = rows.map((r) => r.code);
  }

  renderProgress() {
    const g = group(this.data.byRegion.groups.filter((x) => this.inScope(x.region_code)), ['stage']);
    const total = STAGES.reduce((s, k) => s + (g.get(k)?.area_mu || 0), 0);
    $('#progress', this.el).replaceChildren(h('ul', { class: 'progress-list' }, STAGES.map((s) => {
      const v = g.get(s) || { count: 0, area_mu: 0 };
      const share = total ? v.area_mu / total : 0;
      return h('li', {},
        h('div', { class: 'progress-head' }, h('span', { class: 'stage-name' }, h('span', { class: 'dot', style: { background: STAGE_COLORS[s] } }), label('stage', s)),
          h('span', {}, `${num(v.count, 0)} ${t('unit.count')} · ${mu(v.area_mu, 0)} · ${pct(share)}`)),
        h('div', { class: 'progress-bar' }, h('span', { style: { width: `${share * 100}%`, background: STAGE_COLORS[s] } })));
    })));
  }

  renderRanking() {
    const rows = this.countyRows().sort((a, b) => b.rate - a.rate || b.revenue - a.revenue);
    const medal = (i) => (i < 3 ? h('span', { class: `medal m${i + 1}` }, i + 1) : h('span', { class: 'medal' }, i + 1));
    $('#ranking', this.el).replaceChildren(h('table', { class: 'rank' },
      h('thead', {}, h('tr', {}, ['dash.rank', this.rowHead(), 'dash.area', 'dash.done', 'dash.rate', 'dash.revenue'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, rows.map((r, i) => this.countyRow(r.code, [h('td', {}, medal(i)), h('td', { class: 'county' }, r.name), h('td', { class: 'num' }, num(r.area, 0)),
      h('td', { class: 'num' }, num(r.done, 0)),
      h('td', { class: 'num rate' }, h('div', { class: 'rate-cell' }, h('span', { class: 'rate-bar', style: { width: `${r.rate * 100}%` } }), h('b', {}, pct(r.rate)))),
      h('td', { class: 'num' }, getLang() === 'zh' ? num(r.revenue, 0) : wan(r.revenue, 0))])))));
  }

  /** rowHead is the i18n key naming the rows: 县市区, or 市州 in a province. */
  rowHead() { return this.data.drill.rowLevel === 'city' ? 'dash.city' : 'dash.county'; }

  renderTargets() {
    // The targets of the rows shown and of the place they make up (the city, the deployment).
    const d = this.data.drill;
    const codes = new Set([...d.rows.map((r) => r.code), d.city?.code, this.deployment?.code].filter(Boolean));
    const targets = (this.data.progress?.targets || []).filter((p) => codes.has(p.region_code));
    const fields = this.data.progress?.fields || [];
    const box = $('#targets', this.el);
    if (!targets.length && !fields.length) {
      box.replaceChildren(h('p', { class: 'muted' }, t('dash.targets.none', { year: this.year })));
      return;
    }
    box.replaceChildren(this.assetTargets(targets.filter((p) => p.metric !== 'benefit')),
      this.benefitTargets(targets.filter((p) => p.metric === 'benefit')), fieldTargets(fields),
      h('p', { class: 'hint' }, t('dash.targets.hint', { year: this.year })));
  }

  /** assetTargets is each county's standing against its asset targets, a column per measure. */
  assetTargets(targets) {
    if (!targets.length) return null;
    const byRegion = new Map();
    for (const p of targets) {
      if (!byRegion.has(p.region_code)) byRegion.set(p.region_code, { code: p.region_code, name: p.region_name, metrics: {} });
      byRegion.get(p.region_code).metrics[p.metric] = p;
    }
    const metrics = METRICS.filter((m) => targets.some((p) => p.metric === m));
    return h('table', { class: 'rank targets' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t(this.rowHead())),
        metrics.map((m) => h('th', { scope: 'col', class: 'num' }, t(`target.${m}`))))),
      h('tbody', {}, [...byRegion.values()].map((r) => this.countyRow(r.code,
        [h('td', { class: 'county' }, r.name), ...metrics.map((m) => targetCell(r.metrics[m]))]))));
  }

  /** benefitTargets is each region's approved 经济效益 against its 预期盘活效益 (its own table). */
  benefitTargets(targets) {
    if (!targets.length) return null;
    return h('table', { class: 'rank targets benefit', 'data-test': 'benefit-targets' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t(this.rowHead())), h('th', { scope: 'col', class: 'num' }, t('target.benefit')))),
      h('tbody', {}, targets.map((p) => this.countyRow(p.region_code, [h('td', { class: 'county' }, p.region_name), targetCell(p)]))));
  }
}

/** selectCounty filters the map to one county (null: the whole city) and frames it. */
export function selectCounty(map, regions, code) {
  state.filters.region = code ? [code] : [];
  emit('filters');
  frameCounty(map, regions, code);
}

/** frameCounty frames one county, or the whole city when code is null. */
export function frameCounty(map, regions, code, duration = 800) {
  const boxes = regions.filter((x) => x.bbox && (!code || x.code === code)).map((x) => x.bbox);
  if (!boxes.length) return;
  map.fitBounds([[Math.min(...boxes.map((x) => x[0])), Math.min(...boxes.map((x) => x[1]))],
    [Math.max(...boxes.map((x) => x[2])), Math.max(...boxes.map((x) => x[3]))]], { padding: framePadding(), duration });
}
