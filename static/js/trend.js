// The leader view's monthly trend: assets revitalised per county and month over the last months,
// from the monthly 榜单 (/api/v1/leaderboard?month=, which counts the ledger's stage changes to
// 已盘活 in each month), drawn as one line per county.
import { t, num } from './i18n.js';
import { api } from './api.js';

/** TREND_MONTHS is how many months the trend shows, this one included. */
export const TREND_MONTHS = 6;

/** lastMonths lists the n months up to and including `now` as 2026-07 strings, oldest first. */
export function lastMonths(n, now = new Date()) {
  const out = [];
  for (let i = n - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    out.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return out;
}

/**
 * loadTrend fetches the 榜单 of each month at level (county, or city for a province of cities):
 * { months, counties: [{code, name, done: [..]}] }.
 */
export async function loadTrend(signal, level = 'county') {
  const months = lastMonths(TREND_MONTHS);
  const boards = await Promise.all(months.map((m) => api.leaderboard(m, { signal }, level)));
  const counties = new Map();
  boards.forEach((b, i) => {
    for (const r of b.ranks || []) {
      const c = counties.get(r.region_code) || { code: r.region_code, name: r.region_name, done: months.map(() => 0) };
      c.done[i] = Number(r.done_in_month) || 0;
      counties.set(r.region_code, c);
    }
  });
  return { months, counties: [...counties.values()] };
}

/** trendOption is the ECharts option of the trend (text colour and base options from the caller). */
export function trendOption(trend, base, { text, axis, selected }) {
  return {
    ...base,
    grid: { left: 8, right: 12, top: 34, bottom: 4, containLabel: true },
    legend: { top: 0, type: 'scroll', textStyle: { color: text, fontSize: 13 }, itemWidth: 12, itemHeight: 8, pageTextStyle: { color: text } },
    tooltip: { trigger: 'axis', valueFormatter: (v) => `${num(v, 0)} ${t('unit.count')}` },
    xAxis: { type: 'category', data: trend.months, axisLabel: { color: text }, axisLine: { lineStyle: { color: axis } } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { color: text }, splitLine: { lineStyle: { color: '#1f3652' } } },
    series: trend.counties.map((c) => ({
      name: c.name, type: 'line', symbolSize: 6, data: c.done,
      lineStyle: { width: selected && selected !== c.code ? 1 : 2.5, opacity: selected && selected !== c.code ? 0.35 : 1 },
    })),
  };
}
