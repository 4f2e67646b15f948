// Browser tests of the low zooms (shaded grid cells, the county choropleth, county and parcel
// labels), the leader view's filters, targets and trend, and the laptop and phone layouts.
// Headless Chromium against the real `onemap serve` on a fresh database holding a demo city;
// screenshots land in artifacts/ (layout-*.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, openPage, waitIdle, shot, DEMO_PASSWORD, noProblems } from './harness.js';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { await stack?.stop(); });

const api = async (path) => {
  const res = await fetch(stack.url + path);
  assert.equal(res.status, 200, `GET ${path}`);
  return res.json();
};

const assetLayers = ['land', 'mine', 'forest', 'water', 'building'].flatMap((k) => [`${k}-fill`, `${k}-point`]);
const rendered = (page, layers) => page.evaluate((ls) => window.__map.queryRenderedFeatures({ layers: ls.filter((l) => window.__map.getLayer(l)) })
  .map((f) => ({ id: f.properties.id, count: f.properties.count, cover: f.properties.cover, stage: f.properties.stage, code: f.properties.code })), layers);

const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** visibleLabelRects lists the county labels a person can see, with their screen rects. */
const visibleLabels = (page) => page.evaluate(() => [...document.querySelectorAll('.region-label')]
  .filter((e) => e.style.display !== 'none' && getComputedStyle(e).visibility !== 'hidden')
  .map((e) => { const r = e.getBoundingClientRect(); return { code: e.dataset.region, text: e.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom }; }));

const rectOf = (page, sel) => page.evaluate((s) => { const r = document.querySelector(s).getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }; }, sel);

/** perCounty sums /api/v1/stats?group_by=region,stage,mode into each county's area, idle and done 亩. */
async function perCounty() {
  const st = await api('/api/v1/stats?group_by=region,stage,mode');
  const out = new Map();
  for (const g of st.groups) {
    const c = out.get(g.region_code) || { area: 0, idle: 0, done: 0 };
    c.area += Number(g.area_mu) || 0;
    if (g.stage === 'idle') c.idle += Number(g.area_mu) || 0;
    if (g.stage === 'done') c.done += Number(g.area_mu) || 0;
    out.set(g.region_code, c);
  }
  return out;
}

test('zoom 11: cells shaded by cover and explained in the legend; county labels never under the legend', { timeout: 180_000 }, async () => {
  const page = await openPage(stack, '#/map?c=114.32,29.84&z=11', { width: 1600, height: 1000 });
  const cells = (await rendered(page, ['land-fill'])).filter((f) => f.count != null);
  assert.ok(cells.length > 20, `cells at zoom 11: ${cells.length}`);
  const covers = new Set(cells.map((c) => c.cover));
  assert.ok(covers.size > 3, `cells differ in cover: ${[...covers].slice(0, 10)}`);
  const opacity = await page.evaluate(() => JSON.stringify(window.__map.getPaintProperty('land-fill', 'fill-opacity')));
  assert.match(opacity, /"cover"/, `cell opacity follows cover: ${opacity}`);
  assert.ok(await page.locator('[data-test="legend-cells"]').isVisible(), 'the legend explains cells');
  await shot(page, 'layout-z11-cells.png');
  // Put a county's centre right under the legend: its label hides rather than sit under it.
  const regions = await api('/api/v1/regions');
  const legend = await rectOf(page, '#legend');
  for (const z of [9, 10, 11]) {
    const r = regions[z % regions.length];
    await page.evaluate(({ r, legend, z }) => {
      const m = window.__map;
      const c = Array.isArray(r.center) ? r.center : [(r.bbox[0] + r.bbox[2]) / 2, (r.bbox[1] + r.bbox[3]) / 2];
      const canvas = m.getCanvas().getBoundingClientRect();
      m.jumpTo({ center: c, zoom: z });
      // shift the map so that c lands at the middle of the legend
      const p = m.project(c);
      const want = [(legend.left + legend.right) / 2 - canvas.left, (legend.top + legend.bottom) / 2 - canvas.top];
      m.panBy([p.x - want[0], p.y - want[1]], { duration: 0 });
    }, { r, legend, z });
    await waitIdle(page);
    const labels = await visibleLabels(page);
    assert.ok(labels.length > 0, `zoom ${z}: some county labels show`);
    const under = labels.filter((l) => overlaps(l, legend));
    assert.deepEqual(under, [], `zoom ${z}: no county label under the legend`);
    assert.ok(!labels.some((l) => l.code === r.code), `zoom ${z}: ${r.name}'s label, placed under the legend, is hidden`);
  }
  await shot(page, 'layout-label-vs-legend.png');
  noProblems(page);
  await page.context().close();
});

test('county choropleth equals the stats per county; 闲置土地在哪 in one click', { timeout: 180_000 }, async () => {
  const page = await openPage(stack, '', { width: 1600, height: 1000 });
  const zoom = await page.evaluate(() => window.__map.getZoom());
  assert.ok(zoom < 10.5, `the city opens at city zoom: ${zoom}`);
  await page.locator('#choro-measure').selectOption('done_share');
  await page.locator('.region-value').first().waitFor();
  await waitIdle(page);
  const want = await perCounty();
  const pct = (v) => `${Math.round(v * 100)}%`;
  let checked = 0;
  for (const [code, c] of want) {
    const el = page.locator(`.region-label[data-region="${code}"] .region-value`);
    if (!(await el.count())) continue;
    assert.equal(await el.textContent(), pct(c.done / c.area), `county ${code}: share revitalised`);
    checked++;
  }
  assert.ok(checked >= 3, `counties checked: ${checked}`);
  const drawn = await page.evaluate(() => window.__map.queryRenderedFeatures({ layers: ['region-choropleth'] }).map((f) => f.properties.code));
  assert.ok(new Set(drawn).size >= 3, `choropleth drawn for counties: ${[...new Set(drawn)]}`);
  // Its colours: every county of the stats has its own entry in the layer's match.
  const match = await page.evaluate(() => window.__map.getPaintProperty('region-choropleth', 'fill-color'));
  for (const code of want.keys()) if (code) assert.ok(match.includes(code), `county ${code} coloured`);
  await shot(page, 'layout-choropleth-done.png');

  // The leader's question, one click.
  await page.locator('[data-test="idle-land"]').click();
  await page.waitForFunction(() => /stage=idle/.test(location.hash) && /ch=idle_share/.test(location.hash));
  await waitIdle(page);
  await page.waitForFunction(() => document.querySelectorAll('.region-value').length > 0);
  for (const [code, c] of want) {
    const el = page.locator(`.region-label[data-region="${code}"] .region-value`);
    if (!(await el.count())) continue;
    // Shares count every stage: the idle filter does not turn them into 100 %.
    assert.equal(await el.textContent(), pct(c.idle / c.area), `county ${code}: share idle`);
  }
  const stages = new Set((await rendered(page, assetLayers)).map((f) => f.stage));
  assert.deepEqual([...stages], ['idle'], `only idle land drawn: ${[...stages]}`);
  assert.equal(await page.locator('#filter-count').textContent(), '1', 'the filter shows in the filters tab');
  await shot(page, 'layout-idle-land.png');
  // A shared link keeps it.
  const again = await openPage(stack, new URL(page.url()).hash, { width: 1366, height: 768 });
  await again.locator('.region-value').first().waitFor();
  assert.equal(await again.locator('#choro-measure').inputValue(), 'idle_share');
  noProblems(page);
  noProblems(again);
  await again.context().close();
  await page.context().close();
});

test('zoom 16: parcels carry their codes as labels', { timeout: 180_000 }, async () => {
  const { items: [a] } = await api('/api/v1/assets?kind=land&sort=-area_mu&limit=1');
  const detail = await api(`/api/v1/assets/${a.id}`);
  const pts = [];
  const walk = (c) => (typeof c[0] === 'number' ? pts.push(c) : c.forEach(walk));
  walk(detail.geometry.coordinates);
  const cx = pts.reduce((s, p) => s + p[0], 0) / pts.length, cy = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  const page = await openPage(stack, `#/map?c=${cx.toFixed(5)},${cy.toFixed(5)}&z=16`, { width: 1600, height: 1000 });
  await page.locator('.parcel-label').first().waitFor();
  const labels = await page.locator('.parcel-label').allTextContents();
  const codes = new Set((await rendered(page, assetLayers)).map((f) => f.code).filter(Boolean));
  assert.ok(labels.includes(a.code), `the framed parcel ${a.code} is labelled: ${labels.slice(0, 8)}`);
  assert.ok(labels.every((l) => codes.has(l)), 'every label names a drawn parcel');
  // Labels do not overlap one another.
  const rects = await page.evaluate(() => [...document.querySelectorAll('.parcel-label')].map((e) => { const r = e.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }; }));
  for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) assert.ok(!overlaps(rects[i], rects[j]), `labels ${labels[i]} and ${labels[j]} overlap`);
  // Where parcels crowd (a development zone), many are labelled and none overlap.
  const zones = await api('/api/v1/zones');
  let best = null;
  for (const z of zones) {
    const n = (await api(`/api/v1/zones/${encodeURIComponent(z.code)}/assets?limit=1`)).totals.count;
    if (!best || n > best.n) best = { z, n };
  }
  const dense = Array.isArray(best.z.center) ? best.z.center : [(best.z.bbox[0] + best.z.bbox[2]) / 2, (best.z.bbox[1] + best.z.bbox[3]) / 2];
  await page.evaluate((c) => window.__map.jumpTo({ center: c, zoom: 16 }), dense);
  await waitIdle(page);
  await page.waitForTimeout(300);
  const nDense = await page.evaluate(() => document.querySelectorAll('.parcel-label').length);
  const nDrawn = new Set((await rendered(page, assetLayers)).map((f) => f.code).filter(Boolean)).size;
  await shot(page, 'layout-z16-labels.png');
  // (parcels whose label would fall under the legend, a control or the list, or off the map, go without)
  assert.ok(nDense >= 2 && nDrawn >= 3, `labels where parcels crowd at ${dense}: ${nDense} of ${nDrawn} drawn parcels`);
  const many = await page.evaluate(() => [...document.querySelectorAll('.parcel-label')].map((e) => { const r = e.getBoundingClientRect(); return { text: e.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom }; }));
  for (let i = 0; i < many.length; i++) for (let j = i + 1; j < many.length; j++) assert.ok(!overlaps(many[i], many[j]), `labels ${many[i].text} and ${many[j].text} overlap`);
  const boxes = await Promise.all(['#legend', '#choro', '#results', '#map canvas'].map((x) => rectOf(page, x)));
  const [canvasBox] = boxes.slice(-1);
  for (const l of many) {
    assert.ok(boxes.slice(0, -1).every((b) => !overlaps(l, b)), `label ${l.text} is not under the legend, control or list`);
    assert.ok(l.left >= canvasBox.left && l.right <= canvasBox.right && l.top >= canvasBox.top && l.bottom <= canvasBox.bottom, `label ${l.text} wholly on the map`);
  }
  await shot(page, 'layout-z16-labels.png');
  // Zoom out to 15: no labels.
  await page.evaluate(() => window.__map.jumpTo({ zoom: 15 }));
  await waitIdle(page);
  await page.waitForFunction(() => document.querySelectorAll('.parcel-label').length === 0);
  noProblems(page);
  await page.context().close();
});

const noOverflow = (page) => page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth, bw: document.body.scrollWidth }));

/**
 * clipped lists the elements matching sel whose text does not fit their width, or their height
 * where they hide what overflows (lists that scroll down are meant to).
 */
const clipped = (page, sel) => page.evaluate((s) => [...document.querySelectorAll(s)]
  .filter((e) => e.offsetParent && (e.scrollWidth > e.clientWidth + 1 || (getComputedStyle(e).overflowY === 'hidden' && e.scrollHeight > e.clientHeight + 1)))
  .map((e) => `${e.className}: "${e.textContent.trim().slice(0, 40)}" ${e.scrollWidth}>${e.clientWidth} / ${e.scrollHeight}>${e.clientHeight}`), sel);

/** reviveTwo has an admin (bearer token) mark two idle parcels 已盘活 this month, for the trend. */
async function reviveTwo() {
  const login = await fetch(`${stack.url}/api/v1/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }) });
  const { token } = await login.json();
  const { items } = await api('/api/v1/assets?kind=land&stage=idle&limit=2');
  for (const x of items) {
    const res = await fetch(`${stack.url}/api/v1/assets/${x.id}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ version: x.version, stage: 'done', note: '盘活完成' }) });
    assert.equal(res.status, 200, `revive ${x.code}`);
  }
}

for (const [w, hgt] of [[1366, 768], [1600, 1000], [1920, 1080]]) {
  test(`leader view at ${w}×${hgt}: map filters shown as chips with a reset, targets as text, a monthly trend, nothing clipped`, { timeout: 180_000 }, async () => {
    const { items: [a] } = await api('/api/v1/assets?kind=land&sort=-area_mu&limit=1');
    if (w === 1366) await reviveTwo();
    // The map was left filtered to 未盘活 with a parcel panel open.
    const page = await openPage(stack, `#/map?stage=idle&a=${a.id}`, { width: w, height: hgt });
    await page.locator('[data-test="asset-code"]').waitFor();
    await page.locator('.route-btn[data-route="dashboard"]').click();
    await page.locator('[data-test="dash-filters"]').waitFor();
    await waitIdle(page);
    assert.equal(await page.locator('#panel').isVisible(), false, 'the parcel panel is not drawn over the leader view');
    const chips = await page.locator('[data-test="dash-filters"] .filter-chip').allTextContents();
    assert.deepEqual(chips, ['盘活阶段：未盘活'], 'the figures say which filter they follow');
    const idle = await api('/api/v1/stats?group_by=kind&stage=idle');
    assert.equal((await page.locator('.kpi-value').first().textContent()).replace(/\D/g, ''), String(idle.totals.count), 'filtered total');
    assert.match(await page.locator('.kpi-value').nth(4).textContent(), /^0(\.0)?%$/, 'filtered to idle land, nothing is revitalised');
    await shot(page, `layout-dashboard-${w}-filtered.png`);
    await page.locator('[data-test="dash-reset"]').click();
    await page.waitForFunction(() => !document.querySelector('[data-test="dash-filters"]') && !/stage=/.test(location.hash));
    await waitIdle(page);
    const all = await api('/api/v1/stats?group_by=region,stage');
    assert.equal((await page.locator('.kpi-value').first().textContent()).replace(/\D/g, ''), String(all.totals.count), 'the whole city after the reset');
    const done = all.groups.filter((g) => g.stage === 'done').reduce((s, g) => s + Number(g.area_mu), 0);
    assert.equal(await page.locator('.kpi-value').nth(4).textContent(), `${(done / all.totals.area_mu * 100).toFixed(1).replace(/\.0$/, '')}%`, '盘活率 of the whole city');
    // Nothing wraps or clips.
    const o = await noOverflow(page);
    assert.ok(o.sw <= o.w, `no horizontal overflow: ${JSON.stringify(o)}`);
    assert.deepEqual(await clipped(page, '.kpi-value, .kpi-label, .scope-name, #ranking, .card h2, .card-tabs'), [], 'KPI figures and cards fit');
    const oneLine = await page.evaluate(() => [...document.querySelectorAll('.kpi-value')].every((e) => e.getBoundingClientRect().height < parseFloat(getComputedStyle(e).fontSize) * 1.6));
    assert.ok(oneLine, 'each KPI figure on one line');
    await shot(page, `layout-dashboard-${w}.png`);
    // Targets read without hovering: actual / target (xx %).
    await page.locator('#tab-targets').click();
    const progress = await api(`/api/v1/progress?year=${new Date().getFullYear()}`);
    if (progress.targets?.length) {
      const cells = await page.locator('#targets td.target').allTextContents();
      assert.ok(cells.length > 0 && cells.every((c) => /\S+ \/ \S+ \(\d+%\)/.test(c)), `target cells: ${cells.slice(0, 4)}`);
      const p = progress.targets[0];
      const cell = await page.locator(`#targets tr[data-region="${p.region_code}"] td[data-metric="${p.metric}"]`).textContent();
      assert.ok(cell.endsWith(`(${Math.round(p.ratio * 100)}%)`), `${p.region_code} ${p.metric}: ${cell}`);
      assert.deepEqual(await clipped(page, '#targets'), [], 'targets fit their card');
      await shot(page, `layout-dashboard-${w}-targets.png`);
    }
    // The monthly trend: a line per county, this month's point equal to the 榜单.
    await page.locator('#tab-trend').click();
    await page.waitForFunction(() => window.echarts?.getInstanceByDom(document.getElementById('chart-trend'))?.getOption()?.series?.length > 0);
    const month = new Date().toISOString().slice(0, 7);
    const board = await api(`/api/v1/leaderboard?month=${month}`);
    const series = await page.evaluate(() => window.echarts.getInstanceByDom(document.getElementById('chart-trend')).getOption().series.map((s) => ({ name: s.name, last: s.data[s.data.length - 1], n: s.data.length })));
    assert.equal(series.length, board.ranks.length, 'a line per county');
    assert.ok(series.reduce((n, x) => n + x.last, 0) >= 2, 'this month shows the parcels revitalised in it');
    for (const r of board.ranks) {
      const s = series.find((x) => x.name === r.region_name);
      assert.ok(s && s.n === 6 && s.last === r.done_in_month, `${r.region_name}: ${JSON.stringify(s)} vs ${r.done_in_month}`);
    }
    await shot(page, `layout-dashboard-${w}-trend.png`);
    noProblems(page);
    await page.context().close();
  });
}

test('laptop 1366×768: the map page does not clip', { timeout: 180_000 }, async () => {
  const page = await openPage(stack, '', { width: 1366, height: 768 });
  const o = await noOverflow(page);
  assert.ok(o.sw <= o.w, `no horizontal overflow: ${JSON.stringify(o)}`);
  const outside = await page.evaluate(() => [...document.querySelectorAll('.topbar button, .topbar select, .topbar h1, .legend, .choro, .results-head > *')]
    .filter((e) => e.offsetParent).filter((e) => { const r = e.getBoundingClientRect(); return r.right > innerWidth || r.bottom > innerHeight || r.left < 0; })
    .map((e) => e.className || e.id));
  assert.deepEqual(outside, [], 'every control inside the window');
  assert.deepEqual(await clipped(page, '.topbar h1, .route-btn, .results-title, .legend-name'), [], 'no clipped text');
  await shot(page, 'layout-map-1366.png');
  noProblems(page);
  await page.context().close();
});

test('phone 390×844: the map fills the screen, tabs and list are bottom sheets, a shared asset link is readable', { timeout: 180_000 }, async () => {
  const phone = { width: 390, height: 844 };
  let page = await openPage(stack, '', phone);
  const canvas = await page.locator('#map canvas').boundingBox();
  assert.ok(canvas.height >= phone.height / 2 && canvas.width >= phone.width - 1, `map canvas ${canvas.width}×${canvas.height}`);
  let o = await noOverflow(page);
  assert.ok(o.sw <= o.w, `no horizontal overflow: ${JSON.stringify(o)}`);
  await shot(page, 'layout-phone-map.png');
  // The side tabs open as a sheet and close on a tap on the map.
  await page.locator('#tab-filters').click();
  await page.waitForFunction(() => document.getElementById('sidebar').getBoundingClientRect().height > 300);
  assert.ok(await page.locator('#filters-panel').isVisible());
  await shot(page, 'layout-phone-filters.png');
  await page.mouse.click(200, 150);
  await page.waitForFunction(() => document.getElementById('sidebar').getBoundingClientRect().height < 60);
  // The list opens as a sheet over the lower map; the bar fits in English too.
  await page.locator('#results .results-head button').first().click();
  await page.waitForFunction(() => document.getElementById('results').classList.contains('expanded'));
  await waitIdle(page);
  const list = await page.locator('#results').boundingBox();
  assert.ok(list.width >= phone.width - 1 && list.y > phone.height * 0.3 && list.y + list.height <= phone.height, `list sheet ${JSON.stringify(list)}`);
  await shot(page, 'layout-phone-list.png');
  await page.locator('#lang').click();
  const bar = await page.evaluate(() => [...document.querySelectorAll('.topbar button, .topbar img')].filter((e) => e.offsetParent)
    .map((e) => { const r = e.getBoundingClientRect(); return { t: e.textContent.trim(), left: r.left, right: r.right, sw: e.scrollWidth, cw: e.clientWidth }; }));
  assert.ok(bar.every((b) => b.left >= 0 && b.right <= phone.width && b.sw <= b.cw + 1), `English top bar fits: ${JSON.stringify(bar)}`);
  o = await noOverflow(page);
  assert.ok(o.sw <= o.w, `English: no horizontal overflow: ${JSON.stringify(o)}`);
  await shot(page, 'layout-phone-english.png');
  await page.context().close();

  // A link shared from the office, opened in the field.
  const { items: [a] } = await api('/api/v1/assets?kind=land&sort=-area_mu&limit=1');
  page = await openPage(stack, `#/map?c=114.3,29.8&z=11&a=${a.id}`, phone);
  await page.locator('[data-test="asset-code"]').waitFor();
  await waitIdle(page);
  const panel = await page.locator('#panel').boundingBox();
  assert.ok(panel.x >= 0 && panel.x + panel.width <= phone.width + 0.5 && panel.width >= phone.width - 1, `panel spans the width: ${JSON.stringify(panel)}`);
  assert.ok(panel.y + panel.height <= phone.height + 0.5 && panel.height >= 300, `panel on screen: ${JSON.stringify(panel)}`);
  assert.equal(await page.locator('[data-test="asset-code"]').textContent(), a.code);
  const read = await page.evaluate(() => {
    const dd = document.querySelector('#panel dl.facts dd');
    const title = document.querySelector('#panel h2');
    return { dd: parseFloat(getComputedStyle(dd).fontSize), title: title.getBoundingClientRect().width, titleSW: title.scrollWidth, titleCW: title.clientWidth };
  });
  assert.ok(read.dd >= 13, `fact text ${read.dd}px`);
  assert.ok(read.titleSW <= read.titleCW + 1, 'the title fits');
  o = await noOverflow(page);
  assert.ok(o.sw <= o.w, `no horizontal overflow with the panel: ${JSON.stringify(o)}`);
  // The asset shows on the map above the sheet.
  const where = await page.evaluate((id) => {
    const m = window.__map;
    const fs = m.queryRenderedFeatures({ layers: ['land-fill'] }).filter((f) => Number(f.properties.id) === id);
    if (!fs.length) return null;
    const b = fs[0].geometry.coordinates.flat(3);
    const p = m.project([b[0], b[1]]);
    return { y: p.y + m.getCanvas().getBoundingClientRect().top };
  }, a.id);
  assert.ok(where && where.y < panel.y, `the asset is drawn above the panel: ${JSON.stringify(where)} vs ${panel.y}`);
  await shot(page, 'layout-phone-shared-asset.png');
  noProblems(page);
  await page.context().close();
  // The leader view on a phone scrolls as one column without overflow.
  page = await openPage(stack, '#/dashboard', phone);
  await page.locator('.kpi-value').first().waitFor();
  o = await noOverflow(page);
  assert.ok(o.sw <= o.w, `leader view: no horizontal overflow: ${JSON.stringify(o)}`);
  assert.deepEqual(await clipped(page, '.kpi-value, .kpi-label'), [], 'KPI figures fit');
  await shot(page, 'layout-phone-dashboard.png');
  noProblems(page);
  await page.context().close();
});
