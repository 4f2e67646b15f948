// Browser tests of issue 13's attribute table (item 3) and statistics of a query (item 7): the
// rows selected in the 属性表 are the features highlighted on the map, a clicked feature selects
// its row, sorting and per-column filters work, the selection exports; a zone query's charts show
// the figures of the zone list's own assets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startStack, openPage, waitIdle, shot, noProblems, signIn } from './harness.js';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { await stack?.stop(); });

const api = async (path) => {
  const res = await fetch(stack.url + path);
  assert.equal(res.status, 200, `GET ${path}`);
  return res.json();
};

const rowIds = (page) => page.locator('.tbl-spacer .tbl-row').evaluateAll((rs) => rs.map((r) => Number(r.dataset.id)));
const selectedIds = (page) => page.locator('.tbl-spacer .tbl-row.selected').evaluateAll((rs) => rs.map((r) => Number(r.dataset.id)).sort((a, b) => a - b));
/** highlighted are the ids drawn by the table's highlight layer. */
const highlighted = (page) => page.evaluate(() => {
  const m = window.__map;
  if (!m.getLayer('table-selection-fill')) return [];
  return [...new Set(m.queryRenderedFeatures({ layers: ['table-selection-fill'] }).map((f) => f.id))].sort((a, b) => a - b);
});

/** openTable opens the 属性表 on the whole city's land and waits for its rows. */
async function openTable(page) {
  await page.locator('[data-tool="table"]').click();
  await page.locator('[data-tbl="scope"]').selectOption('city');
  await page.locator('.tbl-spacer .tbl-row').first().waitFor();
}

for (const viewport of [{ width: 1600, height: 1000 }, { width: 1366, height: 768 }, { width: 390, height: 844 }]) {
  test(`attribute table at ${viewport.width}×${viewport.height}: select ↔ highlight, sort, filter, export`, { timeout: 240_000 }, async () => {
    const fc = await api('/api/v1/assets?kind=land&limit=10000&sort=code&format=geojson&geometry=center&properties=code,area_mu');
    const land = { total: fc.numberMatched, items: fc.features.map((f) => ({ id: f.id, ...f.properties, center: f.geometry.coordinates })) };
    const page = await openPage(stack, '', viewport);
    await openTable(page);
    const count = await page.locator('.tbl-count').textContent();
    assert.match(count.replace(/,/g, ''), new RegExp(`${land.total} 条`), `count line ${count}`);

    // Sort: 面积 descending puts the largest parcel first.
    await page.locator('[data-sort="area_mu"]').click();
    const largest = [...land.items].sort((a, b) => b.area_mu - a.area_mu)[0];
    assert.equal((await rowIds(page))[0], largest.id, 'largest area first');
    await page.locator('[data-sort="area_mu"]').click();
    const smallest = [...land.items].sort((a, b) => a.area_mu - b.area_mu)[0];
    assert.equal((await rowIds(page))[0], smallest.id, 'smallest area first after a second click');

    // Filter per column: area range and code text together.
    await page.locator('[data-filter="area_mu"]').fill('10-50');
    const code = land.items[0].code.slice(0, -1);
    await page.locator('[data-filter="code"]').fill(code);
    const want = land.items.filter((a) => a.area_mu >= 10 && a.area_mu <= 50 && a.code.includes(code)).map((a) => a.id).sort((a, b) => a - b);
    await page.waitForFunction((n) => document.querySelector('.tbl-count').textContent.replace(/,/g, '').startsWith(`${n} 条`), want.length);
    const drawn = await rowIds(page);
    assert.ok(drawn.length === Math.min(want.length, drawn.length) && drawn.length > 0 && drawn.every((id) => want.includes(id)), 'filtered rows');
    await page.locator('[data-filter="code"]').fill('');
    await page.locator('[data-filter="area_mu"]').fill('');
    await page.waitForFunction((n) => document.querySelector('.tbl-count').textContent.replace(/,/g, '').startsWith(`${n} 条`), land.total);

    // Select the four largest parcels (click, shift-click) and frame them: the highlight is the
    // selection (parcels of a few pixels at a city zoom may draw nothing, hence the largest).
    await page.locator('[data-sort="area_mu"]').click();
    assert.equal((await rowIds(page))[0], largest.id);
    const rows = page.locator('.tbl-spacer .tbl-row');
    await rows.nth(0).click();
    await rows.nth(3).click({ modifiers: ['Shift'] });
    const sel = await selectedIds(page);
    assert.equal(sel.length, 4);
    await page.locator('[data-tbl="zoom"]').click();
    await page.waitForFunction(() => window.__map.getSource('table-selection'));
    await waitIdle(page);
    await page.waitForFunction((n) => {
      const m = window.__map;
      return new Set(m.queryRenderedFeatures({ layers: ['table-selection-fill'] }).map((f) => f.id)).size === n;
    }, sel.length, { timeout: 20_000 });
    assert.deepEqual(await highlighted(page), sel, 'highlighted = selected');
    await shot(page, `tools-table-${viewport.width}.png`);

    // The selection's CSV: a header and one line per selected asset.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-tbl-export="csv"]').click()]);
    const csv = (await readFile(await download.path(), 'utf8')).trim().split(/\r\n/);
    assert.equal(csv.length, sel.length + 1, 'csv rows');
    const codes = land.items.filter((a) => sel.includes(a.id)).map((a) => a.code);
    for (const c of codes) assert.ok(csv.some((l) => l.includes(c)), `csv has ${c}`);

    // A feature clicked on the map selects its row.
    const other = land.items.find((a) => !sel.includes(a.id) && a.area_mu > 5);
    // The parcel goes to the upper quarter of the map, above the table.
    await page.evaluate((c) => { const m = window.__map; m.jumpTo({ center: c, zoom: 17 }); m.panBy([0, m.getCanvas().clientHeight / 4], { duration: 0 }); }, other.center);
    await waitIdle(page);
    const pt = await page.evaluate((c) => { const p = window.__map.project(c); const r = window.__map.getCanvas().getBoundingClientRect(); return { x: r.left + p.x, y: r.top + p.y }; }, other.center);
    const hit = await page.evaluate(({ x, y }) => {
      const m = window.__map; const r = m.getCanvas().getBoundingClientRect();
      return m.queryRenderedFeatures([x - r.left, y - r.top], { layers: ['land-fill'] })[0]?.id ?? null;
    }, pt);
    assert.ok(hit != null, 'a land feature under the point');
    await page.mouse.click(pt.x, pt.y);
    await page.waitForFunction((id) => document.querySelector(`.tbl-spacer .tbl-row.selected[data-id="${id}"]`), hit, { timeout: 20_000 });
    assert.deepEqual(await selectedIds(page), [hit]);
    await page.waitForFunction((id) => {
      const m = window.__map;
      const ids = m.queryRenderedFeatures({ layers: ['table-selection-fill'] }).map((f) => f.id);
      return ids.length && ids.every((x) => x === id);
    }, hit, { timeout: 20_000 });
    await shot(page, `tools-table-pick-${viewport.width}.png`);
    noProblems(page);
    await page.context().close();
  });
}

test('attribute table export as a planner: /api/v1/export with ids= writes the selection', { timeout: 120_000 }, async () => {
  const page = await openPage(stack, '', { width: 1366, height: 768 });
  await signIn(page, 'planner');
  await openTable(page);
  const rows = page.locator('.tbl-spacer .tbl-row');
  await rows.nth(1).click();
  await rows.nth(2).click({ modifiers: ['Control'] });
  await rows.nth(5).click({ modifiers: ['Control'] });
  const sel = await selectedIds(page);
  assert.equal(sel.length, 3);
  const [resp, download] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/v1/export?')),
    page.waitForEvent('download'),
    page.locator('[data-tbl-export="csv"]').click(),
  ]);
  const asked = new URL(resp.url()).searchParams.get('ids').split(',').map(Number).sort((a, b) => a - b);
  assert.deepEqual(asked, sel, 'the export asks for the selection');
  const csv = (await readFile(await download.path(), 'utf8')).trim().split(/\r\n/);
  assert.equal(csv.length, sel.length + 1, 'csv rows');
  noProblems(page);
  await page.context().close();
});

test('statistics of the filter list: the charts show /api/v1/stats under the filters', { timeout: 120_000 }, async () => {
  const page = await openPage(stack, '#/map?stage=idle,planned', { width: 1366, height: 768 });
  await page.locator('#results .toggle[aria-expanded="false"]').click(); // the filter list starts folded
  await page.locator('.qstats[data-qstats="filter"] [data-qstats-toggle]').click();
  await page.locator('.qstats[data-qstats="filter"][data-ready="true"][data-shown="count"]').waitFor({ timeout: 30_000 });
  for (const dim of ['kind', 'mode']) {
    const st = await api(`/api/v1/stats?group_by=${dim}&stage=idle,planned`);
    const want = Object.fromEntries(st.groups.map((g) => [g[dim], g.count]));
    const got = await page.evaluate((dim) => {
      const box = document.querySelector(`.qstats[data-qstats="filter"] [data-dim="${dim}"]`);
      return window.echarts.getInstanceByDom(box).getOption().series[0].data.map((d) => [d.key, d.value]);
    }, dim);
    assert.deepEqual(Object.fromEntries(got), want, `${dim} counts`);
  }
  await shot(page, 'tools-querystats-filter-1366.png');
  noProblems(page);
  await page.context().close();
});

test('statistics of a zone query: the charts show the zone list\'s figures', { timeout: 240_000 }, async () => {
  const zones = await api('/api/v1/zones');
  let zone = null;
  let list = null;
  for (const z of zones) {
    list = await api(`/api/v1/zones/${encodeURIComponent(z.code)}/assets?include_done=true&limit=10000`);
    if (list.items.length >= 3) { zone = z; break; }
  }
  assert.ok(zone, 'some zone has assets');
  for (const viewport of [{ width: 1366, height: 768 }, { width: 390, height: 844 }]) {
    const page = await openPage(stack, '', viewport);
    await page.locator('#tab-query').click();
    await page.locator('#q-zone').selectOption(zone.code);
    await page.locator('#q-zone-all').click();
    if (viewport.width < 640) await page.locator('#tab-query').click(); // the phone's sheet gives way to the list
    await page.locator('.qstats[data-qstats="zone"][data-ready="true"]').waitFor({ timeout: 30_000 });
    for (const measure of [{ key: 'count', field: null }, { key: 'mu', field: 'area_mu' }, { key: 'wan', field: 'book_value' }]) {
      await page.locator(`[data-measure="${measure.key}"]`).click();
      await page.locator(`.qstats[data-shown="${measure.key}"]`).waitFor();
      for (const dim of ['kind', 'stage', 'mode', 'land_status']) {
        const get = (a) => (dim === 'land_status' ? a.land?.land_status ?? null : a[dim]);
        const want = {};
        for (const a of list.items) {
          const k = get(a) ?? '';
          want[k] = (want[k] || 0) + (measure.field ? a[measure.field] || 0 : 1);
        }
        const got = await page.waitForFunction(({ dim, n }) => {
          const box = document.querySelector(`.qstats[data-qstats="zone"] [data-dim="${dim}"]`);
          const c = box && window.echarts?.getInstanceByDom(box);
          const data = c?.getOption().series[0].data;
          return data && data.length === n ? data.map((d) => [d.key, d.value]) : null;
        }, { dim, n: Object.keys(want).length }, { timeout: 15_000 }).then((h) => h.jsonValue());
        for (const [k, v] of got) assert.ok(Math.abs(v - want[k]) < 1e-6 * Math.max(1, want[k]), `${measure.key} ${dim}=${k}: chart ${v}, list ${want[k]}`);
      }
    }
    await page.locator('[data-measure="mu"]').click();
    await page.locator('.qstats[data-shown="mu"]').waitFor();
    await waitIdle(page);
    // Drawn where a person sees them, on a page where no other tool was opened first: each chart
    // has its height and a canvas (tools-b.css is the page's, not the attribute table's).
    const charts = await page.evaluate(() => [...document.querySelectorAll('.qstats[data-qstats="zone"] .qstats-chart')]
      .map((b) => ({ h: b.getBoundingClientRect().height, canvas: Boolean(b.querySelector('canvas')) })));
    assert.ok(charts.length > 0 && charts.every((c) => c.h >= 80 && c.canvas), `charts: ${JSON.stringify(charts)}`);
    await shot(page, `tools-querystats-${viewport.width}.png`);
    noProblems(page);
    await page.context().close();
  }
});
