// Browser tests of the low zooms (shaded grid cells, the county choropleth, county and parcel
// labels), the leader view's filters, targets and trend, and the laptop and phone layouts.
// Headless Chromium against the real `onemap serve` on a fresh database holding a demo city;
// screenshots land in artifacts/ (layout-*.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, openPage, waitIdle, shot } from './harness.js';

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

function noProblems(page) {
  const real = page.problems.filter((p) => !/GPU stall|GL Driver/.test(p));
  assert.deepEqual(real, [], 'console errors, page errors or failed requests');
}

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
  await shot(page, 'layout-z16-labels.png');
  // Zoom out to 15: no labels.
  await page.evaluate(() => window.__map.jumpTo({ zoom: 15 }));
  await waitIdle(page);
  await page.waitForFunction(() => document.querySelectorAll('.parcel-label').length === 0);
  noProblems(page);
  await page.context().close();
});
