// Browser tests of the OneMap UI: headless Chromium against the real `onemap serve` on a fresh
// database holding a demo city. Screenshots of each main screen land in artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { startStack, openPage, waitIdle, shot, TIANDITU_TEST_KEY, DEMO_PASSWORD, noProblems, signIn } from './harness.js';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { await stack?.stop(); });

const api = async (path) => {
  const res = await fetch(stack.url + path);
  assert.equal(res.status, 200, `GET ${path}`);
  return res.json();
};

const rendered = (page, layers) => page.evaluate((ls) => window.__map.queryRenderedFeatures({ layers: ls.filter((l) => window.__map.getLayer(l)) }), layers);
const assetLayers = ['land', 'mine', 'forest', 'water', 'building'].flatMap((k) => [`${k}-fill`, `${k}-point`]);

/** framePixel frames asset a at a zoom and returns a canvas pixel whose top rendered feature is a. */
async function framePixel(page, a, zoom) {
  const detail = await api(`/api/v1/assets/${a.id}`);
  await page.evaluate(({ g, zoom }) => {
    const pts = [];
    const walk = (c) => (typeof c[0] === 'number' ? pts.push(c) : c.forEach(walk));
    walk(g.coordinates);
    const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
    window.__map.jumpTo({ center: [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2], zoom });
  }, { g: detail.geometry, zoom });
  await waitIdle(page);
  const point = await page.evaluate(({ id, layers }) => {
    const m = window.__map;
    const c = m.getCanvas();
    const w = c.clientWidth, h = c.clientHeight;
    for (let r = 0; r < 200; r += 6) {
      for (const [dx, dy] of [[0, 0], [r, 0], [-r, 0], [0, r], [0, -r], [r, r], [-r, -r]]) {
        const p = [w / 2 + dx, h / 2 + dy];
        const f = m.queryRenderedFeatures(p, { layers: layers.filter((l) => m.getLayer(l)) })[0];
        if (f && Number(f.properties.id) === id) return { p, props: f.properties };
      }
    }
    return null;
  }, { id: a.id, layers: assetLayers });
  assert.ok(point, `asset ${a.code} is rendered near the map centre at zoom ${zoom}`);
  const box = await page.locator('#map canvas').boundingBox();
  return { detail, props: point.props, x: box.x + point.p[0], y: box.y + point.p[1] };
}

/** clickAsset frames asset a and clicks it. */
async function clickAsset(page, a) {
  const { detail, x, y } = await framePixel(page, a, 16);
  await page.mouse.click(x, y);
  return detail;
}

// First paint: ms from navigation to the map's first complete render with its tiles (MapLibre's
// `load`), median of three, measured two ways:
// - cold: a first-ever visit, a fresh browser context with an empty HTTP cache;
// - warm: a returning visit, the same context opening the map again (the libraries come from the
//   HTTP cache with their compiled code; the tiles and the API are asked again).
// Measured here on the real server with the 2000-parcel demo city, headless Chromium with software
// WebGL on a 2-core machine: cold 2.2-2.4 s, warm 1.3-1.5 s. What is left of the cold figure is
// the browser's (parsing MapLibre, starting its worker, software shader compiles); the tiles
// answer in a millisecond or two. The 2 s holds for the warm figure; budgets:
// ONEMAP_UI_PAINT_BUDGET_MS (cold, 4 s) and ONEMAP_UI_WARM_BUDGET_MS (warm, 2 s).
const PAINT_BUDGET = Number(process.env.ONEMAP_UI_PAINT_BUDGET_MS || 4000);
const WARM_BUDGET = Number(process.env.ONEMAP_UI_WARM_BUDGET_MS || 2000);

const median3 = (xs) => [...xs].sort((a, b) => a - b)[1];

test('map renders assets with no console errors, first paint within budget', { timeout: 180_000 }, async () => {
  const page = await openPage(stack);
  const n = (await rendered(page, assetLayers)).length;
  assert.ok(n > 0, `rendered asset features: ${n}`);
  const first = await page.evaluate(() => [window.__mapLoadedAt, window.__mapIdleAt]);
  const cold = [];
  const warm = [];
  for (let i = 0; i < 3; i++) {
    const p = await openPage(stack);
    cold.push(await p.evaluate(() => window.__mapLoadedAt));
    noProblems(p);
    await p.goto('about:blank');
    await p.goto(`${stack.url}/`);
    await waitIdle(p);
    warm.push(await p.evaluate(() => window.__mapLoadedAt));
    assert.ok((await rendered(p, assetLayers)).length > 0, 'a returning visit renders assets');
    noProblems(p);
    await p.context().close();
  }
  const r = (xs) => xs.map(Math.round).join(', ');
  console.log(`# first paint: first page of a new browser ${Math.round(first[0])} ms (idle ${Math.round(first[1])} ms); ` +
    `cold (fresh contexts) ${r(cold)} ms, median ${Math.round(median3(cold))} ms; warm (returning) ${r(warm)} ms, median ${Math.round(median3(warm))} ms`);
  assert.ok(median3(cold) < PAINT_BUDGET, `cold first paint median ${median3(cold)} ms (budget ${PAINT_BUDGET} ms)`);
  assert.ok(median3(warm) < WARM_BUDGET, `warm first paint median ${median3(warm)} ms (budget ${WARM_BUDGET} ms)`);
  // The legend counts come from the stats API.
  const stats = await api('/api/v1/stats?group_by=mode');
  const total = await page.locator('[data-test="legend-total"]').textContent();
  assert.equal(total.replace(/\D/g, ''), String(stats.totals.count));
  await shot(page, '01-map.png');
  noProblems(page);
  await page.context().close();
});

test('toggling a layer removes its features', { timeout: 180_000 }, async () => {
  const page = await openPage(stack);
  assert.ok((await rendered(page, ['land-fill', 'land-point'])).length > 0, 'land rendered before');
  await page.locator('#lyr-land').click();
  await waitIdle(page);
  assert.equal((await rendered(page, ['land-fill', 'land-point'])).length, 0, 'land hidden after toggle');
  assert.ok((await rendered(page, assetLayers)).length > 0, 'other kinds still rendered');
  assert.match(page.url(), /l=mine%2Cforest|l=mine,forest/, 'the URL keeps the layer choice');
  await page.locator('#lyr-land').click();
  await waitIdle(page);
  assert.ok((await rendered(page, ['land-fill', 'land-point'])).length > 0, 'land back');
  noProblems(page);
  await page.context().close();
});

test('clicking an asset opens its panel with ledger facts and history', { timeout: 180_000 }, async () => {
  const page = await openPage(stack);
  const { items: [a] } = await api('/api/v1/assets?kind=land&sort=-area_mu&limit=1');
  const detail = await clickAsset(page, a);
  await page.locator('[data-test="asset-code"]').waitFor();
  assert.equal(await page.locator('[data-test="asset-code"]').textContent(), a.code);
  const panel = await page.locator('#panel').textContent();
  assert.ok(panel.includes(detail.name), 'panel names the asset');
  assert.ok(panel.includes('土地状态') && panel.includes('变更记录'), 'land facts and history shown');
  if (detail.events?.length) assert.ok(await page.locator('#panel .timeline li').count() >= 1, 'history listed');
  assert.match(page.url(), new RegExp(`a=${a.id}`), 'selection kept in the URL');
  await shot(page, '02-asset-panel.png');
  noProblems(page);
  await page.context().close();
});

test('hovering a parcel names it, also at zoom 14 where tiles carry no name', { timeout: 180_000 }, async () => {
  const page = await openPage(stack);
  const { items: [a] } = await api('/api/v1/assets?kind=land&sort=-area_mu&limit=1');
  for (const zoom of [14, 16]) {
    const { x, y, props } = await framePixel(page, a, zoom);
    // Zoom-14 tiles leave name and code out; the tip asks the API for them.
    assert.equal(props.code === undefined, zoom === 14, `zoom ${zoom} tile properties: ${Object.keys(props)}`);
    await page.mouse.move(x, y);
    const tip = page.locator('.om-tip');
    await tip.filter({ hasText: a.code }).waitFor({ timeout: 10_000 });
    const text = await tip.textContent();
    assert.ok(text.includes(a.name), `zoom ${zoom}: the tip names ${a.name}: ${text}`);
    assert.ok(!text.includes('undefined'), `zoom ${zoom}: ${text}`);
    await page.mouse.move(5, 5);
  }
  noProblems(page);
  await page.context().close();
});

test('zone query lists the same assets as the API', { timeout: 180_000 }, async () => {
  const zones = await api('/api/v1/zones');
  let zone = null;
  let expected = null;
  for (const z of zones) {
    expected = await api(`/api/v1/zones/${encodeURIComponent(z.code)}/assets?kind=land&land_status=idle,approved_unsupplied&limit=10000`);
    if (expected.items.length) { zone = z; break; }
  }
  assert.ok(zone, 'some zone has idle land');
  const page = await openPage(stack);
  await page.locator('#tab-query').click();
  await page.locator('#q-zone').selectOption(zone.code);
  await page.locator('#q-zone-idle').click();
  await page.locator('#results[data-type="zone"] tbody tr').first().waitFor();
  await waitIdle(page);
  const shown = await page.locator('#results tbody tr td:first-child').allTextContents();
  // The list's first page holds the 50 largest overlaps of the API's answer.
  const want = [...expected.items].sort((x, y) => y.overlap_mu - x.overlap_mu).map((x) => x.code);
  assert.equal(shown.length, Math.min(want.length, 50));
  assert.deepEqual([...shown].sort(), want.slice(0, shown.length).sort(), 'same codes');
  assert.equal((await page.locator('[data-test="total-count"]').textContent()).replace(/\D/g, ''), String(expected.totals.count));
  // Framed below the parcel zoom, every result is marked by a point on it.
  const marks = await page.evaluate(() => {
    const m = window.__map;
    return { zoom: m.getZoom(), ids: m.getLayer('query-hits') ? m.queryRenderedFeatures({ layers: ['query-hits'] }).map((f) => f.id) : [] };
  });
  assert.ok(marks.zoom < 14, `zone framed at zoom ${marks.zoom}`);
  assert.deepEqual([...new Set(marks.ids)].sort((a, b) => a - b), expected.items.map((x) => x.id).sort((a, b) => a - b), 'a mark on each result');
  await shot(page, '03-zone-query.png');
  // Its CSV holds every result with every field (the list itself fetched only what it shows).
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#results [data-export="csv"]').click()]);
  const lines = readFileSync(await dl.path(), 'utf8').replace(/^\ufeff/, '').trim().split(/\r?\n/);
  assert.equal(lines.length - 1, expected.totals.count, 'one CSV line per result');
  assert.ok(lines[0].includes('持有人') && lines[0].includes('重叠'), `CSV header: ${lines[0]}`);
  const holders = new Set(expected.items.map((x) => x.holder));
  assert.ok(lines.slice(1).every((l) => [...holders].some((x) => x && l.includes(x))), 'each line names its holder');
  // A row click flies to the asset and opens it.
  await page.locator('#results tbody tr').first().click();
  await page.locator('[data-test="asset-code"]').waitFor();
  assert.equal(await page.locator('[data-test="asset-code"]').textContent(), shown[0]);
  noProblems(page);
  await page.context().close();
});

test('a drawn rectangle lists the assets within it, as the API does', { timeout: 180_000 }, async () => {
  const page = await openPage(stack);
  await page.locator('#tab-query').click();
  await page.locator('[data-draw="rectangle"]').click();
  await page.waitForFunction(() => document.body.classList.contains('drawing'));
  const box = await page.locator('#map canvas').boundingBox();
  const request = page.waitForResponse((r) => r.url().includes('/api/v1/assets?') && r.url().includes('within='));
  await page.mouse.click(box.x + box.width * 0.35, box.y + box.height * 0.25);
  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.45, { steps: 5 });
  await page.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.5);
  const res = await request;
  // The same query as JSON: every asset with its overlap, and the totals.
  const asked = new URL(res.url());
  asked.searchParams.delete('format');
  asked.searchParams.delete('geometry');
  const fromAPI = await api(asked.pathname + asked.search);
  await page.locator('#results[data-type="draw"]').waitFor();
  await page.waitForFunction(() => !document.querySelector('#results.loading') && document.querySelector('#results tbody tr'));
  assert.ok(fromAPI.total > 0, 'the rectangle holds assets');
  assert.equal((await page.locator('[data-test="total-count"]').textContent()).replace(/\D/g, ''), String(fromAPI.total));
  assert.ok(fromAPI.totals.overlap_mu > 0 && fromAPI.totals.overlap_mu <= fromAPI.totals.area_mu + 1e-6, 'overlap total');
  // Largest overlap first, as for a zone; each row an asset of the API's answer.
  const overlapOf = new Map(fromAPI.items.map((a) => [a.code, a.overlap_mu]));
  const shown = await page.locator('#results tbody tr td:first-child').allTextContents();
  assert.equal(shown.length, Math.min(fromAPI.total, 50));
  const overlaps = shown.map((c) => overlapOf.get(c));
  assert.ok(overlaps.every((v) => v != null), 'every row is in the API answer');
  assert.ok(overlaps.every((v, i) => i === 0 || v <= overlaps[i - 1]), 'sorted by overlap');
  assert.equal(overlaps[0], Math.max(...overlapOf.values()));
  const heads = await page.locator('#results thead th').allTextContents();
  assert.ok(heads.some((x) => x.includes('重叠')), `overlap columns: ${heads}`);
  await waitIdle(page);
  // A mark for each result (some may lie outside the view: a forest reaching into the rectangle).
  const marks = await page.evaluate(() => ({
    data: window.__map.getSource('query-hits')?.serialize().data.features.length,
    drawn: window.__map.getZoom() < 14 ? window.__map.queryRenderedFeatures({ layers: ['query-hits'] }).length : null,
  }));
  assert.equal(marks.data, fromAPI.total, 'a mark for each result');
  if (marks.drawn != null) assert.ok(marks.drawn > 0, 'marks drawn');
  await shot(page, '04-draw-query.png');
  noProblems(page);
  await page.context().close();
});

test('a filter changes the map and the list at once', { timeout: 180_000 }, async () => {
  const page = await openPage(stack);
  const before = (await rendered(page, assetLayers)).length;
  await page.locator('#tab-filters').click();
  await page.locator('[data-filter="stage"][data-value="done"]').click();
  await page.waitForFunction(() => window.__map.getSource('onemap').tiles[0].includes('stage=done'));
  await page.waitForFunction(() => document.querySelector('#results')?.textContent && !document.querySelector('#results.loading'));
  await waitIdle(page);
  const feats = await rendered(page, assetLayers);
  assert.ok(feats.length > 0 && feats.length < before, `map narrowed: ${before} → ${feats.length}`);
  assert.ok(feats.every((f) => f.properties.stage === 'done' || f.properties.id == null), 'only done assets on the map');
  const want = await api('/api/v1/assets?stage=done&limit=1');
  await page.waitForFunction((n) => document.querySelector('[data-test="total-count"]')?.textContent.replace(/\D/g, '') === String(n), want.total);
  await page.locator('#results .toggle').click();
  const stages = await page.locator('#results tbody tr td:last-child').allTextContents();
  assert.ok(stages.length > 0 && stages.every((s) => s.includes('已盘活')), 'only done assets in the list');
  assert.match(page.url(), /stage=done/);
  await shot(page, '05-filter.png');
  // The same URL in a new page brings the same view back.
  const url = page.url();
  const again = await stack.browser.newPage({ viewport: { width: 1600, height: 960 } });
  await again.goto(url);
  await waitIdle(again);
  assert.equal(await again.evaluate(() => window.__map.getSource('onemap').tiles[0].includes('stage=done')), true);
  const c1 = await page.evaluate(() => window.__map.getCenter().toArray());
  const c2 = await again.evaluate(() => window.__map.getCenter().toArray());
  assert.ok(Math.abs(c1[0] - c2[0]) < 1e-3 && Math.abs(c1[1] - c2[1]) < 1e-3, 'same centre from the link');
  await again.close();
  noProblems(page);
  await page.context().close();
});

test('export: anonymous lists are built in the page, signed-in ones come from the server', { timeout: 180_000 }, async () => {
  const page = await openPage(stack, '#/map?kind=land&stage=idle');
  const want = await api('/api/v1/assets?kind=land&stage=idle&limit=1');
  const get = async (fmt) => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator(`#results [data-export="${fmt}"]`).click()]);
    return { path: await dl.path(), name: dl.suggestedFilename() };
  };
  const check = async (signedIn) => {
    const csv = readFileSync((await get('csv')).path, 'utf8').replace(/^\ufeff/, '').trim().split(/\r?\n/);
    assert.equal(csv.length - 1, want.total, 'CSV has one line per asset');
    const gj = JSON.parse(readFileSync((await get('geojson')).path, 'utf8'));
    assert.equal(gj.type, 'FeatureCollection');
    assert.equal(gj.features.length, want.total);
    assert.ok(gj.features.every((f) => f.geometry && f.properties['资产编号']), 'features carry geometry and code (资产编号)');
    const xlsxPath = (await get('xlsx')).path;
    const sheet = execFileSync('python3', ['-c', 'import re,sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); n=[x for x in z.namelist() if x.startswith("xl/worksheets/")][0]; print(len(re.findall(rb"<row[ >]", z.read(n))))', xlsxPath], { encoding: 'utf8' });
    assert.equal(Number(sheet.trim()) - 1, want.total, `XLSX has one row per asset (signed in: ${signedIn})`);
  };
  // Anonymous: the page builds the files; no request to /api/v1/export (it would answer 401).
  const exports = [];
  page.on('request', (r) => { if (r.url().includes('/api/v1/export?')) exports.push(r.url()); });
  await check(false);
  assert.equal(exports.length, 0, 'anonymous export never asks the server');
  await signIn(page, 'planner');
  await check(true);
  assert.ok(exports.length >= 3 && exports.every((u) => u.includes('kind=land') && u.includes('stage=idle')), `server export with the filters: ${exports}`);
  const shp = await get('shapefile');
  assert.match(shp.name, /\.zip$|\.shp/i, 'Shapefile download');
  noProblems(page);
  await page.context().close();
});

test('an analyst changes a parcel\'s stage and sees it in the history', { timeout: 180_000 }, async () => {
  const { items: [a] } = await api('/api/v1/assets?kind=land&stage=idle&sort=-area_mu&limit=1');
  const page = await openPage(stack, `#/map?a=${a.id}`);
  await page.locator('[data-test="asset-code"]').waitFor();
  assert.equal(await page.locator('#edit-form').count(), 0, 'no edit form when anonymous');
  await signIn(page, 'analyst');
  await page.locator('#edit-form').waitFor();
  const before = await page.locator('#panel .timeline li').count();
  await page.locator('#edit-stage').selectOption('planned');
  await page.locator('#edit-note').fill('浏览器测试：拟盘活');
  await page.locator('#edit-save').click();
  await page.waitForFunction((n) => document.querySelectorAll('#panel .timeline li').length > n, before);
  const top = await page.locator('#panel .timeline li').first().textContent();
  assert.ok(top.includes('浏览器测试：拟盘活') && top.includes('拟盘活'), `newest event shows the change: ${top}`);
  const detail = await api(`/api/v1/assets/${a.id}`);
  assert.equal(detail.stage, 'planned');
  assert.equal(detail.version, a.version + 1);
  await page.locator('#panel .timeline li').first().scrollIntoViewIfNeeded();
  await shot(page, '10-asset-edit.png');
  // Someone else edits while the analyst types: saving on the old version shows the conflict
  // editor, the typed stage kept (live.test.js tests it in depth).
  await page.locator('#edit-stage').selectOption('in_progress');
  const login = await fetch(`${stack.url}/api/v1/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }) });
  const { token } = await login.json();
  const other = await fetch(`${stack.url}/api/v1/assets/${a.id}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ version: detail.version, mode: 'sell', note: '他人修改' }) });
  assert.equal(other.status, 200, 'the other edit lands');
  await page.locator('#edit-save').click();
  await page.locator('[data-test="conflict"]', { hasText: '保存前已被他人修改' }).waitFor();
  assert.equal(await page.locator('#edit-stage').inputValue(), 'in_progress', 'the typed stage is kept');
  const n = page.problems.length;
  page.problems = page.problems.filter((p) => !/412/.test(p));
  assert.ok(n - page.problems.length >= 1, 'the 412 answer was seen');
  noProblems(page);
  await page.context().close();
});

test('leader view renders its charts and a county click filters the map', { timeout: 180_000 }, async () => {
  const page = await openPage(stack, '#/dashboard', { width: 1920, height: 1080 });
  await page.locator('#ranking tbody tr').first().waitFor();
  const regions = await api('/api/v1/regions');
  assert.equal(await page.locator('#ranking tbody tr').count(), regions.length, 'one ranking row per county');
  for (const id of ['chart-kind', 'chart-mode', 'chart-county']) {
    const series = await page.evaluate((x) => window.echarts.getInstanceByDom(document.getElementById(x))?.getOption().series.length, id);
    assert.ok(series > 0, `${id} has series`);
  }
  await page.waitForTimeout(600); // chart animations
  await shot(page, '06-dashboard.png');
  const code = await page.locator('#ranking tbody tr').first().getAttribute('data-region');
  await page.locator('#ranking tbody tr').first().click();
  await page.waitForFunction((c) => window.__map.getSource('onemap').tiles[0].includes(`region=${c}`), code);
  await waitIdle(page);
  const feats = await rendered(page, assetLayers);
  assert.ok(feats.length > 0 && feats.every((f) => f.properties.region_code === code || f.properties.id == null), 'map shows that county only');
  await page.waitForTimeout(600);
  await shot(page, '07-dashboard-county.png');
  // The targets tab: each county's completion of each yearly target, as /api/v1/progress says.
  const { targets } = await api(`/api/v1/progress?year=${new Date().getFullYear()}`);
  assert.ok(targets.length > 0, 'the demo city has targets this year');
  await page.locator('#tab-targets').click();
  await page.locator('#targets tbody tr').first().waitFor();
  assert.ok(await page.locator('#ranking').isHidden(), 'the ranking gives way to the targets');
  for (const p of targets) {
    const cell = page.locator(`#targets tr[data-region="${p.region_code}"] td[data-metric="${p.metric}"] b`);
    assert.equal(await cell.textContent(), `${Math.round(p.ratio * 100)}%`, `${p.region_name} ${p.metric}`);
  }
  await shot(page, '11-dashboard-targets.png');
  noProblems(page);
  await page.context().close();
});

test('keyboard reaches the controls with a visible focus; English switch', { timeout: 180_000 }, async () => {
  const page = await openPage(stack);
  const seen = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    seen.push(await page.evaluate(() => {
      const el = document.activeElement;
      const s = getComputedStyle(el);
      return { tag: el.tagName, id: el.id, outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 };
    }));
  }
  assert.ok(seen.some((s) => s.id === 'lang'), 'language switch reachable by Tab');
  assert.ok(seen.some((s) => s.id === 'tab-layers'), 'sidebar tabs reachable by Tab');
  assert.ok(seen.filter((s) => s.tag !== 'BODY').every((s) => s.outline), `focus visible on every stop: ${JSON.stringify(seen)}`);
  await page.locator('#lang').click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.match(await page.locator('.brand h1').textContent(), /One Map/);
  await page.locator('#tab-filters').click();
  await shot(page, '08-english-filters.png');
  noProblems(page);
  await page.context().close();
});

test('basemaps come from the server config; the key is served, not shipped', { timeout: 180_000 }, async () => {
  // A server with a Tianditu key (this stack's has none: pages open offline).
  const url = await stack.serveAlso(['-tianditu-key', TIANDITU_TEST_KEY]);
  const page = await openPage({ ...stack, url });
  const options = await page.locator('#basemap option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(options, ['none', 'tdt_vec', 'tdt_img', 'xyz']);
  assert.equal(await page.locator('#basemap').inputValue(), 'tdt_vec', 'with a key, Tianditu vector by default (basemap.test.js)');
  const before = stack.basemapHits();
  await page.locator('#basemap').selectOption('xyz');
  await waitIdle(page);
  assert.ok(stack.basemapHits() > before, 'the configured XYZ basemap is drawn');
  assert.match(page.url(), /b=xyz/);
  await shot(page, '09-basemap-xyz.png');
  // The Tianditu key reaches the page only through /api/v1/config.
  for (const path of ['/', '/js/map.js', '/js/main.js', '/js/basemap.js']) {
    const body = await (await fetch(url + path)).text();
    assert.ok(!body.includes(TIANDITU_TEST_KEY), `${path} does not carry the key`);
  }
  assert.equal((await (await fetch(`${url}/api/v1/config`)).json()).tianditu_key, TIANDITU_TEST_KEY);
  noProblems(page);
  await page.context().close();
});

test('clicking a zone offers its idle-land query in one click', { timeout: 180_000 }, async () => {
  const zones = await api('/api/v1/zones');
  const z = zones[0];
  const page = await openPage(stack);
  await page.evaluate((b) => window.__map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { duration: 0, padding: 200 }), z.bbox);
  await waitIdle(page);
  // A pixel inside the zone with no asset on top.
  const point = await page.evaluate(() => {
    const m = window.__map;
    const c = m.getCanvas();
    for (let y = 150; y < c.clientHeight - 150; y += 7) {
      for (let x = 300; x < c.clientWidth - 150; x += 7) {
        const fs = m.queryRenderedFeatures([x, y]);
        if (fs.some((f) => f.layer.id === 'zone-fill') && !fs.some((f) => /-(fill|point)$/.test(f.layer.id) && !f.layer.id.startsWith('zone') && !f.layer.id.startsWith('region'))) return [x, y];
      }
    }
    return null;
  });
  assert.ok(point, 'an empty spot inside the zone');
  const box = await page.locator('#map canvas').boundingBox();
  await page.mouse.click(box.x + point[0], box.y + point[1]);
  await page.locator('[data-zone-query="idle"]').click();
  await page.locator('#results[data-type="zone"]').waitFor();
  await page.waitForFunction(() => !document.querySelector('#results.loading'));
  const want = await api(`/api/v1/zones/${encodeURIComponent(z.code)}/assets?kind=land&land_status=idle,approved_unsupplied`);
  assert.equal((await page.locator('[data-test="total-count"]').textContent()).replace(/\D/g, ''), String(want.totals.count));
  assert.match(page.url(), new RegExp(`qz=${encodeURIComponent(z.code)}`));
  noProblems(page);
  await page.context().close();
});

test('with anonymous reads off the map asks to sign in first, then opens; the page keeps to its CSP', { timeout: 180_000 }, async () => {
  const url = await stack.serveAlso(['-anonymous-read=false']);
  for (const path of ['/api/v1/config', '/api/v1/assets?limit=1', '/tiles/onemap.json', '/ogc/collections/land/items?limit=1']) {
    const res = await fetch(url + path);
    assert.equal(res.status, 401, `anonymous GET ${path}`);
  }
  for (const viewport of [{ width: 1366, height: 768 }, { width: 390, height: 844 }]) {
    const context = await stack.browser.newContext({ viewport, locale: 'zh-CN' });
    const page = await context.newPage();
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error' && !/401/.test(m.text())) problems.push(m.text()); });
    const logs = [];
    page.on('console', (m) => logs.push(m.text().slice(0, 200)));
    page.on('pageerror', (e) => problems.push(e.message));
    const answered = [];
    page.on('response', (r) => { if (/\/(api|tiles|ogc)\//.test(r.url())) answered.push(`${r.status()} ${new URL(r.url()).pathname}`); });
    let dialogs = 0;
    page.on('dialog', (d) => { dialogs++; d.dismiss(); });
    await page.goto(url + '/');
    await page.locator('#gate #login-user').waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('#gate h2').textContent(), '请登录后查看一张图');
    assert.ok(answered.every((a) => a.startsWith('401')), `before sign-in nothing but 401: ${answered}`);
    await shot(page, `gate-${viewport.width}.png`);
    await page.fill('#gate #login-user', 'planner');
    await page.fill('#gate #login-pass', DEMO_PASSWORD);
    await Promise.all([page.waitForEvent('load'), page.click('#gate #login-submit')]);
    await waitIdle(page);
    assert.match(await page.locator('[data-test="user"]').textContent(), /规划员/);
    await shot(page, `gate-signed-in-${viewport.width}.png`);
    // (At 390 px the sidebar leaves the map 110 px wide: the UI has no phone layout yet.)
    const outside = await page.evaluate(() => [...document.querySelectorAll('.topbar button, .topbar summary, .topbar img, .topbar .route-btn')]
      .filter((el) => el.offsetParent).map((el) => [el.id || el.textContent.trim(), el.getBoundingClientRect()])
      .filter(([, r]) => r.left < 0 || r.right > window.innerWidth).map(([n]) => n));
    assert.deepEqual(outside, [], 'signed in, every control of the top bar lies inside the window');
    const logo = await page.locator('.brand img').boundingBox();
    const route = await page.locator('.route-btn').first().boundingBox();
    assert.ok(logo.x + logo.width <= route.x + 1, 'the logo does not cover the first route');
    if (viewport.width >= 1366) {
      const features = await rendered(page, assetLayers);
      assert.ok(features.length > 0, `signed in, the map shows assets (answers: ${answered}) ${logs.join('\n')}`);
    }
    assert.equal(dialogs, 0, 'no browser password dialog');
    assert.deepEqual(problems, [], 'no console errors (CSP violations included) once signed in');
    await context.close();
  }
});

test('admin creates a user, resets its password, the audit log lists both; the user must change it', { timeout: 180_000 }, async () => {
  const page = await openPage(stack, '#/map');
  page.on('dialog', (d) => d.accept()); // the reset's confirmation
  await signIn(page, 'admin');
  await page.locator('#open-admin').click();
  await page.locator('#open-users').click();
  await page.locator('#users-screen [data-user="admin"]').waitFor();
  await page.locator('#new-username').fill('bt_clerk');
  await page.locator('#new-name').fill('浏览器测试员');
  await page.locator('#new-role').selectOption('planner');
  await page.locator('#user-create-submit').click();
  await page.locator('#user-notice', { hasText: 'bt_clerk' }).waitFor();
  const row = page.locator('#users-screen [data-user="bt_clerk"]');
  await row.waitFor();
  assert.match(await row.textContent(), /待改密/, 'a new account must change its password');
  await row.locator('[data-action="reset"]').click();
  await page.locator('#user-notice', { hasText: '新密码' }).waitFor();
  const password = (await page.locator('#user-notice').textContent()).match(/新密码：(\S+?)（/)[1];
  await shot(page, '20-users.png');
  await page.locator('#users-screen [data-close]').click();
  await page.locator('#open-admin').click();
  await page.locator('#open-audit').click();
  await page.locator('#audit-list tr[data-action="user.password"]').first().waitFor();
  const text = await page.locator('#audit-list').textContent();
  for (const want of ['创建用户', '设置密码', 'bt_clerk', '登录成功']) assert.ok(text.includes(want), `audit screen shows ${want}`);
  const actions = await page.locator('#audit-action').textContent();
  for (const want of ['登记租约', '删除租约', '添加附件', '删除附件']) assert.ok(actions.includes(want), `the action filter offers ${want}`);
  await page.locator('#audit-action').selectOption('user.create');
  await page.locator('#audit-search').click();
  await page.waitForFunction(() => [...document.querySelectorAll('#audit-list tbody tr')].every((tr) => tr.dataset.action === 'user.create'));
  assert.match(await page.locator('#audit-csv').getAttribute('href'), /format=csv.*action=user\.create|action=user\.create.*format=csv/);
  await page.locator('#audit-action').selectOption('');
  await page.locator('#audit-search').click();
  await page.locator('#audit-list tr[data-action="user.password"]').first().waitFor();
  await shot(page, '21-audit.png');
  noProblems(page);
  await page.context().close();

  // The user signs in with the reset password and must change it before anything else.
  const user = await openPage(stack, '#/map');
  await user.locator('#login').click();
  await user.locator('#login-user').fill('bt_clerk');
  await user.locator('#login-pass').fill(password);
  await user.locator('#login-submit').click();
  await user.locator('#password-dialog [data-test="pw-forced"]').waitFor();
  await user.locator('#pw-current').fill(password);
  await user.locator('#pw-new').fill('Browser-Test-9');
  await user.locator('#pw-again').fill('Browser-Test-9');
  await shot(user, '22-forced-password.png');
  await user.locator('#pw-submit').click();
  await user.locator('#password-dialog').waitFor({ state: 'detached' });
  const me = await user.evaluate(() => fetch('/api/v1/me').then((r) => r.json()));
  assert.equal(me.must_change_password, false, 'the change lifts the restriction');
  await user.context().close();
});

test('the title names the city the deployment serves, as set by an admin', { timeout: 180_000 }, async () => {
  let page = await openPage(stack, '#/map');
  assert.equal((await page.locator('[data-i18n="app.city"]').textContent()).trim(), '咸宁市', 'the demo names 咸宁市');
  assert.match(await page.title(), /^咸宁市 · /);
  await page.context().close();
  const login = await fetch(`${stack.url}/api/v1/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }) });
  const { token } = await login.json();
  const put = (city) => fetch(`${stack.url}/api/v1/city`, { method: 'PUT', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(city) });
  assert.equal((await put({ name: '衡阳市', code: '430400', level: 'city' })).status, 200);
  try {
    page = await openPage(stack, '#/dashboard');
    assert.equal((await page.locator('[data-i18n="app.city"]').textContent()).trim(), '衡阳市');
    assert.match(await page.title(), /^衡阳市 · /);
    await page.locator('.scope-name').first().waitFor();
    assert.equal((await page.locator('.scope-name').first().textContent()).trim(), '衡阳市', 'the dashboard headline');
    await shot(page, 'city-title-1600.png');
    await page.context().close();
  } finally {
    await put({ name: '咸宁市', code: '421200', level: 'city' });
  }
});

test('an admin loads a development zone from a boundary file: dry run first, then the load', { timeout: 180_000 }, async () => {
  const zone = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { 园区代码: 'BT-ZONE', 园区名称: '浏览器测试园区', 园区类型: '省级开发区' },
    geometry: { type: 'Polygon', coordinates: [[[114.20, 29.80], [114.24, 29.80], [114.24, 29.83], [114.20, 29.83], [114.20, 29.80]]] } }] };
  const page = await openPage(stack, '#/map', { width: 1366, height: 768 });
  await signIn(page, 'admin');
  await page.locator('#open-admin').click();
  await page.locator('#open-places').click();
  await page.locator('#places-kind').selectOption('zone');
  await page.locator('#places-file').setInputFiles({ name: 'zones.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(zone)) });
  await page.locator('#places-dry').click();
  await page.locator('[data-test="places-summary"]', { hasText: '试导入' }).waitFor();
  assert.match(await page.locator('[data-test="places-summary"]').textContent(), /新增 1，更新 0/);
  assert.equal(await page.locator('#places-report [data-code="BT-ZONE"]').count(), 1, 'the report lists the new zone');
  const zones = async () => (await api('/api/v1/zones')).map((z) => z.code);
  assert.ok(!(await zones()).includes('BT-ZONE'), 'a dry run writes nothing');
  await page.locator('#places-load').click();
  await page.locator('[data-test="places-summary"]', { hasText: '已导入' }).waitFor();
  assert.ok((await zones()).includes('BT-ZONE'), 'the load writes the zone');
  await shot(page, 'places-zone-1366.png');
  // The same file again changes nothing.
  await page.locator('#places-dry').click();
  await page.locator('[data-test="places-summary"]', { hasText: '未变 1' }).waitFor();
  noProblems(page);
  await page.context().close();
});
