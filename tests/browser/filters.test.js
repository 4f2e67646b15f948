// Browser tests of filters and searches on the map (issue 10, items 1 and 2): at every zoom the
// map shows exactly what the list lists — overview cells summed from the matching groups, or a
// mark on each result where the overview cannot tell (land status, area, text) — the legend
// counts what the list counts, applying a filter frames its results, a search finding one asset
// opens it, and a zone query or drawn area AND the filter panel narrow each other.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, openPage, waitIdle, shot, noProblems } from './harness.js';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { await stack?.stop(); });

const api = async (path) => {
  const res = await fetch(stack.url + path);
  assert.equal(res.status, 200, `GET ${path}`);
  return res.json();
};

const KINDS = ['land', 'mine', 'forest', 'water', 'building'];
const assetLayers = KINDS.flatMap((k) => [`${k}-fill`, `${k}-point`]);
const sortNum = (xs) => [...new Set(xs)].map(Number).sort((a, b) => a - b);

/**
 * view answers what the map shows: asset features (ids, and cells' summed counts) and marks.
 * Cells also report their sizes in degrees (counts summed per size) and how many are drawn more
 * than once, so that a wrong sum tells whether tiles of two zooms or the same cell twice made it.
 */
const view = (page, marks = 'filter-hits') => page.evaluate(({ layers, marks }) => {
  const m = window.__map;
  const fs = m.queryRenderedFeatures({ layers: layers.filter((l) => m.getLayer(l)) });
  const ids = [];
  let cells = 0;
  let cellCount = 0;
  const sizes = {};
  const seen = {};
  for (const f of fs) {
    const id = f.properties.id ?? (f.properties.count == null ? f.id : null);
    if (id != null) ids.push(Number(id));
    else {
      cells++; cellCount += Number(f.properties.count);
      const xs = f.geometry.coordinates[0].map((c) => c[0]);
      const key = (Math.max(...xs) - Math.min(...xs)).toFixed(5);
      sizes[key] = (sizes[key] ?? 0) + Number(f.properties.count);
      const k2 = f.geometry.coordinates[0].map((c) => c.map((x) => x.toFixed(5)).join(',')).sort()[0];
      seen[k2] = (seen[k2] ?? 0) + 1;
    }
  }
  const dups = Object.values(seen).filter((n) => n > 1).length;
  const tiles = m.style.tileManagers?.onemap?.getIds?.() ?? [];
  const hits = m.getLayer(marks) ? m.queryRenderedFeatures({ layers: [marks] }).map((f) => f.id) : [];
  const b = m.getBounds();
  return { zoom: m.getZoom(), sizes, dups, tiles, ids, cells, cellCount, marks: hits, bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] };
}, { layers: assetLayers, marks });

const totalShown = (page) => page.locator('[data-test="total-count"]').textContent().then((s) => Number(s.replace(/\D/g, '')));
const legendTotal = (page) => page.locator('[data-test="legend-total"]').textContent().then((s) => Number(s.replace(/\D/g, '')));

/** settled waits for the list to show n results and the map to come to rest. */
async function settled(page, n) {
  await page.waitForFunction((want) => {
    const el = document.querySelector('[data-test="total-count"]');
    return el && !document.querySelector('#results.loading') && el.textContent.replace(/\D/g, '') === String(want);
  }, n, { timeout: 15_000 });
  await waitIdle(page);
  await page.waitForTimeout(300);
  await waitIdle(page);
}

/**
 * jump moves the map and waits for the 'idle' that follows: every tile of the new view loaded and
 * no fade running. (Checking loaded() at once could pass before the new tiles were even asked
 * for, under load, and count the old zoom's cells beside the new ones: CI saw 128 for 32.)
 */
async function jump(page, center, zoom) {
  await page.evaluate(({ center, zoom }) => new Promise((resolve) => {
    const m = window.__map;
    const timer = setTimeout(resolve, 15_000);
    m.once('idle', () => { clearTimeout(timer); resolve(); });
    m.jumpTo({ center, zoom });
  }), { center, zoom });
  await waitIdle(page);
}

const inside = (b, outer) => b[0] >= outer[0] - 1e-6 && b[1] >= outer[1] - 1e-6 && b[2] <= outer[2] + 1e-6 && b[3] <= outer[3] + 1e-6;
const centre = (b) => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];

test('zone + 闲置: the map at zoom 11 and 16 shows exactly the list; legend equals list; framed', { timeout: 240_000 }, async () => {
  const zones = await api('/api/v1/zones');
  let zone = null;
  let want = null;
  for (const z of zones) {
    want = await api(`/api/v1/assets?zone=${z.code}&land_status=idle&limit=10000&properties=id,kind,area_mu`);
    if (want.total >= 5) { zone = z; break; }
  }
  assert.ok(zone, 'a zone with idle land');
  const page = await openPage(stack, '', { width: 1600, height: 1000 });
  const start = await view(page);
  await page.locator('#tab-filters').click();
  await page.locator('#flt-zone').selectOption(zone.code);
  await page.locator('[data-filter="land_status"][data-value="idle"]').click();
  await settled(page, want.total);
  assert.equal(await legendTotal(page), want.total, 'legend total = list total');
  // Framed: the view holds every result and is closer than the city view.
  const framed = await view(page);
  assert.ok(want.bbox && inside(want.bbox, framed.bounds), `results ${want.bbox} within the view ${framed.bounds}`);
  assert.ok(framed.zoom > start.zoom + 1, `zoomed in to the results: ${start.zoom} → ${framed.zoom}`);
  const ids = sortNum(want.items.map((a) => a.id));
  // Zoom 11: the overview cannot tell land status, so each result is marked; no cell is drawn.
  await jump(page, centre(want.bbox), 11);
  let v = await view(page);
  assert.equal(v.cells, 0, 'no overview cells under a land-status filter');
  assert.deepEqual(sortNum(v.marks), ids, 'a mark on each listed asset at zoom 11');
  assert.ok(sortNum(v.ids).every((id) => ids.includes(id)), 'no unlisted asset drawn at zoom 11');
  await shot(page, 'filters-zone-idle-z11.png');
  // Zoom 16 at the largest result: parcels drawn are listed ones, the marks give way to them.
  const big = [...want.items].sort((a, b) => b.area_mu - a.area_mu)[0];
  const detail = await api(`/api/v1/assets/${big.id}`);
  const pts = detail.geometry.coordinates.flat(3);
  const xs = pts.filter((_, i) => i % 2 === 0);
  const ys = pts.filter((_, i) => i % 2 === 1);
  await jump(page, [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2], 16);
  v = await view(page);
  assert.ok(v.ids.includes(big.id), `asset ${big.id} drawn at zoom 16`);
  assert.ok(v.ids.every((id) => ids.includes(id)), `only listed assets drawn at zoom 16: ${sortNum(v.ids)}`);
  assert.equal(v.marks.length, 0, 'no marks from zoom 14');
  // Every listed asset in the view is drawn: compare with the API's list within the view.
  const [w, s, e, n] = v.bounds;
  const ring = JSON.stringify({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
  const inView = await api(`/api/v1/assets?zone=${zone.code}&land_status=idle&limit=10000&properties=id&within=${encodeURIComponent(ring)}`);
  assert.deepEqual(sortNum(v.ids), sortNum(inView.items.map((a) => a.id)), 'zoom 16 draws the listed assets in view');
  await shot(page, 'filters-zone-idle-z16.png');
  noProblems(page);
  await page.context().close();
});

// CI once drew 128 cells' count here for 32 listed (the zone's parcels under the zone filter
// alone): tiles of the previous filter state outlived setTiles — see map.js setTileURL and the
// test after this one, which makes that race happen every time.
test('zone + 未盘活: overview cells at zoom 11 sum the listed assets; legend equals list', { timeout: 240_000 }, async () => {
  const zone = (await api('/api/v1/zones'))[0];
  const want = await api(`/api/v1/assets?zone=${zone.code}&stage=idle&limit=10000&properties=id,kind`);
  assert.ok(want.total > 0, 'idle assets in the zone');
  const page = await openPage(stack, '', { width: 1366, height: 768 });
  await page.locator('#tab-filters').click();
  await page.locator('#flt-zone').selectOption(zone.code);
  await page.locator('[data-filter="stage"][data-value="idle"]').click();
  await settled(page, want.total);
  assert.equal(await legendTotal(page), want.total, 'legend total = list total');
  await jump(page, centre(want.bbox), 11);
  const land = want.items.filter((a) => a.kind === 'land').length;
  const v = await view(page);
  const others = sortNum(want.items.filter((a) => a.kind !== 'land').map((a) => a.id));
  assert.ok(v.cells > 0, 'the map is not blank at zoom 11');
  // On failure, say which cells were counted: their sizes (one zoom's cells or several), cells
  // drawn twice, and the tiles the map holds.
  assert.equal(v.cellCount, land, `overview cells count the listed parcels: ${JSON.stringify({ sizes: v.sizes, dups: v.dups, tiles: v.tiles })}`);
  assert.deepEqual(sortNum(v.ids), others, 'the other kinds drawn are the listed ones');
  await shot(page, 'filters-zone-stage-z11-1366.png');
  noProblems(page);
  await page.context().close();
});

/**
 * holdTiles holds back every map tile asked for under the zone filter alone until the map asks for
 * a tile under the stage filter as well: the old filter's tiles then arrive after the change.
 * It returns how many tiles it has held.
 */
async function holdTiles(page) {
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  let held = 0;
  await page.route('**/tiles/onemap/**', async (route) => {
    const url = new URL(route.request().url());
    if (url.searchParams.has('stage')) release();
    else if (url.searchParams.has('zone')) {
      held++;
      await released;
    }
    await route.continue().catch(() => {}); // the map may have given the request up meanwhile
  });
  return () => held;
}

test('a filter changed while the previous filter\'s tiles are on their way: the map draws the new filter only', { timeout: 240_000 }, async () => {
  const zone = (await api('/api/v1/zones'))[0];
  const want = await api(`/api/v1/assets?zone=${zone.code}&stage=idle&limit=10000&properties=id,kind`);
  const land = want.items.filter((a) => a.kind === 'land').length;
  assert.ok(land > 0, 'idle land in the zone');
  const page = await openPage(stack, '', { width: 1366, height: 768 });
  const held = await holdTiles(page);
  await page.locator('#tab-filters').click();
  // The zone filter frames the zone: let that move end.
  await page.evaluate(() => { window.__framed = new Promise((resolve) => window.__map.once('moveend', resolve)); });
  await page.locator('#flt-zone').selectOption(zone.code);
  await page.evaluate(() => window.__framed);
  // Zoom 11 over the results while the zone's tiles are held: they are asked for, not yet drawn.
  const asked = page.waitForRequest((r) => r.url().includes('/tiles/onemap/11/') && new URL(r.url()).searchParams.has('zone'));
  await page.evaluate((center) => window.__map.jumpTo({ center, zoom: 11 }), centre(want.bbox));
  await asked;
  await page.locator('[data-filter="stage"][data-value="idle"]').click();
  await settled(page, want.total);
  await jump(page, centre(want.bbox), 11);
  const v = await view(page);
  assert.ok(v.cells > 0, 'the map is not blank at zoom 11');
  assert.equal(v.cellCount, land, `cells count the listed parcels, not the zone's (${held()} tiles held): ${JSON.stringify({ sizes: v.sizes, dups: v.dups, tiles: v.tiles })}`);
  noProblems(page);
  await page.context().close();
});

test('a holder search finding one asset flies to it and opens its panel; a wider one marks its results', { timeout: 240_000 }, async () => {
  const { items } = await api('/api/v1/assets?kind=land&limit=300&sort=-area_mu');
  let one = null;
  for (const a of items) {
    if (!a.holder) continue;
    const r = await api(`/api/v1/assets?q=${encodeURIComponent(a.holder)}&limit=2`);
    if (r.total === 1 && !a.name.includes(a.holder) && !a.code.includes(a.holder)) { one = a; break; }
  }
  assert.ok(one, 'an asset whose holder holds nothing else');
  for (const viewport of [{ width: 1600, height: 1000 }, { width: 1366, height: 768 }, { width: 390, height: 844 }]) {
    const page = await openPage(stack, '', viewport);
    await page.locator('#tab-filters').click();
    await page.locator('#flt-q').fill(one.holder);
    await page.locator('[data-test="asset-code"]').waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('[data-test="asset-code"]').textContent(), one.code);
    await waitIdle(page);
    await page.waitForTimeout(1200); // the flight
    await waitIdle(page);
    await shot(page, `filters-holder-search-${viewport.width}.png`);
    assert.equal(await totalShown(page), 1);
    // On a phone the side bar and the panel cover the map (the phone layout is not this one's
    // work): there only the panel is checked.
    if (viewport.width > 900) {
      const v = await view(page);
      assert.ok(v.zoom >= 15, `flew in: zoom ${v.zoom}`);
      assert.ok(v.ids.includes(one.id), 'the asset is drawn where the map flew');
    }
    noProblems(page);
    await page.context().close();
  }
  // A search finding many: the map frames them and marks each below zoom 14.
  const word = '置业';
  const want = await api(`/api/v1/assets?q=${encodeURIComponent(word)}&limit=10000&properties=id`);
  assert.ok(want.total > 1, `several assets match ${word}`);
  const page = await openPage(stack, '', { width: 1600, height: 1000 });
  await page.locator('#tab-filters').click();
  await page.locator('#flt-q').fill(word);
  await settled(page, want.total);
  assert.equal(await legendTotal(page), want.total, 'legend total = list total');
  const v = await view(page);
  assert.ok(inside(want.bbox, v.bounds), 'framed on the results');
  const ids = sortNum(want.items.map((a) => a.id));
  assert.ok(v.zoom < 14, `results across the city framed below zoom 14: ${v.zoom}`);
  assert.deepEqual(sortNum(v.marks), ids, 'a mark on each result');
  assert.equal(v.cells, 0, 'no overview cells under a text search');
  assert.ok(v.ids.every((id) => ids.includes(id)), 'no other asset drawn');
  await shot(page, 'filters-search-many-framed.png');
  await jump(page, centre(want.bbox), 11);
  const z11 = await view(page);
  assert.ok(z11.marks.length > 0 && z11.marks.every((id) => ids.includes(id)), 'zoom 11: marks of results only');
  await shot(page, 'filters-search-many-z11.png');
  noProblems(page);
  await page.context().close();
});

test('a zone query then a filter: list, marks and totals narrow together', { timeout: 240_000 }, async () => {
  const zones = await api('/api/v1/zones');
  const base = (code) => `/api/v1/zones/${code}/assets?kind=land&land_status=idle,approved_unsupplied&limit=10000&properties=id,stage,overlap_mu`;
  let zone = null;
  let all = null;
  for (const z of zones) {
    all = await api(base(z.code));
    if (new Set(all.items.map((a) => a.stage)).size > 1) { zone = z; break; }
  }
  assert.ok(zone, 'a zone with idle land at several stages');
  assert.ok(all.items.every((a) => a.stage !== 'done' && a.overlap_mu > 0), 'no done and no 0-亩 rows in 园区闲置土地');
  const page = await openPage(stack, '', { width: 1600, height: 1000 });
  await page.locator('#tab-query').click();
  await page.locator('#q-zone').selectOption(zone.code);
  await page.locator('#q-zone-idle').click();
  await page.locator('#results[data-type="zone"]').waitFor();
  await settled(page, all.total);
  let marks = sortNum((await view(page, 'query-hits')).marks);
  assert.deepEqual(marks, sortNum(all.items.map((a) => a.id)), 'a mark on each result');
  // Now the filter panel: stage 未盘活 narrows the zone's list, its marks and its totals.
  const narrowed = await api(`${base(zone.code)}&stage=idle`);
  assert.ok(narrowed.total > 0 && narrowed.total < all.total, `the filter narrows ${all.total} → ${narrowed.total}`);
  await page.locator('#tab-filters').click();
  await page.locator('[data-filter="stage"][data-value="idle"]').click();
  await settled(page, narrowed.total);
  assert.equal(await page.locator('#results').getAttribute('data-type'), 'zone', 'still the zone query');
  marks = sortNum((await view(page, 'query-hits')).marks);
  assert.deepEqual(marks, sortNum(narrowed.items.map((a) => a.id)), 'the marks narrowed with the list');
  const stages = await page.locator('#results tbody tr td:last-child').allTextContents();
  assert.ok(stages.length > 0 && stages.every((s) => s.includes('未盘活')), 'only 未盘活 rows');
  // A least area in the filter panel bounds the 亩 inside the zone.
  const min = 5;
  const bounded = await api(`${base(zone.code)}&stage=idle&min_area_mu=${min}`);
  await page.locator('#flt-min_area_mu').fill(String(min));
  await settled(page, bounded.total);
  assert.ok(bounded.items.every((a) => a.overlap_mu >= min), 'bounded on the overlap');
  marks = sortNum((await view(page, 'query-hits')).marks);
  assert.deepEqual(marks, sortNum(bounded.items.map((a) => a.id)), 'marks follow the area bound');
  await shot(page, 'filters-zone-query-then-filter.png');
  noProblems(page);
  await page.context().close();
});

test('a drawn area then a filter: list and marks narrow together, no 0-亩 row', { timeout: 240_000 }, async () => {
  const page = await openPage(stack, '', { width: 1600, height: 1000 });
  await page.locator('#tab-query').click();
  await page.locator('[data-draw="rectangle"]').click();
  await page.waitForFunction(() => document.body.classList.contains('drawing'));
  const box = await page.locator('#map canvas').boundingBox();
  const request = page.waitForResponse((r) => r.url().includes('/api/v1/assets?') && r.url().includes('within='));
  await page.mouse.click(box.x + box.width * 0.35, box.y + box.height * 0.25);
  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.45, { steps: 5 });
  await page.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.5);
  const within = new URL((await request).url()).searchParams.get('within');
  const q = (extra) => api(`/api/v1/assets?within=${encodeURIComponent(within)}&limit=10000&properties=id,overlap_mu${extra}`);
  const all = await q('');
  assert.ok(all.total > 0 && all.items.every((a) => a.overlap_mu >= 0.005), 'no 0-亩 row');
  await settled(page, all.total);
  const narrowed = await q('&stage=idle');
  assert.ok(narrowed.total < all.total, `stage narrows ${all.total} → ${narrowed.total}`);
  await page.locator('#tab-filters').click();
  await page.locator('[data-filter="stage"][data-value="idle"]').click();
  await settled(page, narrowed.total);
  assert.equal(await page.locator('#results').getAttribute('data-type'), 'draw', 'still the drawn area');
  const data = await page.evaluate(() => window.__map.getSource('query-hits')?.serialize().data.features.map((f) => f.id));
  assert.deepEqual(sortNum(data), sortNum(narrowed.items.map((a) => a.id)), 'a mark for each narrowed result');
  await shot(page, 'filters-draw-then-filter.png');
  noProblems(page);
  await page.context().close();
});
