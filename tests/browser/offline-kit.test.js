// Browser test of the offline map kit (issue 14 item 6): `onemap tiles export --kit` writes a
// folder whose index.html opens from disk with no server at all. The stack here starts no server:
// the page is file:///…/index.html, the package is picked through the file input, and the map, the
// clicked feature's facts and the totals are checked against the package as node reads it
// (package-reader.js), with every request the page makes seen to be file:, blob: or data:.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startStack, newPage, shot, waitIdle, noProblems, ROOT } from './harness.js';
import { openPackage, tileAt } from './package-reader.js';

const BIN = path.join(ROOT, 'bin/onemap');
const BBOX = [114.26, 29.79, 114.38, 29.89];
const CENTRE = [114.32, 29.84];

let stack;
let dir;
let pkgFile;
let pkg;
before(async () => {
  stack = await startStack({ serve: false });
  dir = mkdtempSync(path.join(os.tmpdir(), 'onemap-kit-'));
  pkgFile = path.join(dir, 'xianning.pmtiles');
  execFileSync(BIN, ['tiles', '-db', stack.dbURL, 'refresh'], { stdio: 'pipe', timeout: 120_000 });
  execFileSync(BIN, ['tiles', '-db', stack.dbURL, 'export', '--format', 'pmtiles', '--bbox', BBOX.join(','),
    '--minzoom', '0', '--maxzoom', '16', '-o', pkgFile, '--kit', dir], { stdio: 'pipe', timeout: 300_000 });
  pkg = await openPackage(pkgFile);
});
after(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** openKit opens the kit's index.html from disk, recording every request, and picks the package. */
async function openKit(viewport, welcomeShot) {
  const page = await newPage(stack, viewport);
  page.requests = [];
  page.on('request', (r) => page.requests.push(r.url()));
  await page.goto(pathToFileURL(path.join(dir, 'onemap-offline', 'index.html')).href);
  assert.equal(await page.locator('#pick-text').textContent(), '选择离线包');
  assert.match(await page.locator('#welcome-file').textContent(), /xianning\.pmtiles/);
  if (welcomeShot) await shot(page, welcomeShot);
  await page.locator('#pick').setInputFiles(path.join(dir, 'onemap-offline', 'xianning.pmtiles'));
  await waitIdle(page);
  return page;
}

/** noNetwork asserts the page asked for nothing but files, blobs and data. */
function noNetwork(page) {
  const net = page.requests.filter((u) => !/^(file|blob|data):/.test(u));
  assert.deepEqual(net, [], 'requests other than file:, blob: and data:');
  assert.ok(page.requests.some((u) => u.endsWith('/viewer.js')), 'the page loaded its viewer from disk');
}

/** rendered lists the rendered features of a source layer with their properties. */
const rendered = (page, layer) => page.evaluate((l) => window.__map.queryRenderedFeatures()
  .filter((f) => f.source === 'onemap' && f.sourceLayer === l).map((f) => f.properties), layer);

/** packageFeatures lists the features of a layer in the package's tiles of zoom z over [w, s, e, n]. */
async function packageFeatures(z, [w, s, e, n], layer) {
  const [x0, y0] = tileAt(z, w, n);
  const [x1, y1] = tileAt(z, e, s);
  const out = [];
  for (let x = x0; x <= x1; x++) {
    for (let y = y0; y <= y1; y++) out.push(...((await pkg.tile(z, x, y))?.[layer] || []));
  }
  return out;
}

/** key is a feature's properties as one string, keys sorted (numbers as MapLibre and the reader give them). */
const key = (p) => JSON.stringify(Object.keys(p).sort().map((k) => [k, p[k]]));

const digits = (s) => Number(s.replace(/[^\d.]/g, ''));

/** checkTotals compares the legend's rows (宗 and 亩 of each value, and the total) with the package's metadata. */
async function checkTotals(page, by) {
  const totals = pkg.metadata.totals;
  const rows = await page.locator('#legend tr').evaluateAll((trs) => trs.map((tr) => ({
    value: tr.dataset.value, count: tr.querySelector('[data-test=count]').textContent, area: tr.querySelector('[data-test=area]').textContent })));
  assert.ok(rows.length > 2, `legend rows: ${JSON.stringify(rows)}`);
  for (const r of rows) {
    const want = r.value === 'total' ? totals : (totals[by][r.value] || { count: 0, area_mu: 0 });
    assert.equal(digits(r.count), want.count, `${by} ${r.value}: ${r.count}`);
    assert.equal(digits(r.area), Math.round(want.area_mu), `${by} ${r.value}: ${r.area}`);
    assert.match(r.count, /宗$/);
    assert.match(r.area, /亩$/);
  }
  assert.ok(totals.count > 0, 'the package counts assets');
}

test('offline kit: opened from disk with no server, the package picked shows the one map, its facts and totals', async () => {
  const page = await openKit({ width: 1600, height: 1000 }, 'offline-kit-welcome-1600.png');
  await shot(page, 'offline-kit-fit-1600.png');
  // Fitted to the package: its bounds are in view.
  const b = await page.evaluate(() => window.__map.getBounds().toArray().flat());
  assert.ok(b[0] <= BBOX[0] + 0.01 && b[2] >= BBOX[2] - 0.01 && b[1] <= BBOX[1] + 0.01 && b[3] >= BBOX[3] - 0.01, `view ${b}`);
  assert.equal(await page.locator('[data-test="kit.exported"]').textContent().then((s) => s.slice(0, 10)), pkg.metadata.exported_at.slice(0, 10));
  assert.match(await page.locator('[data-test="kit.area"]').textContent(), /114\.26–114\.38°E/);
  await checkTotals(page, 'mode');
  await page.locator('#colour label', { hasText: '按盘活阶段' }).click();
  await checkTotals(page, 'stage');

  // Zoom 11: the land cells MapLibre read are those of the package's zoom-11 tiles, and those drawn are among them.
  await page.evaluate((c) => window.__map.jumpTo({ center: c, zoom: 11 }), CENTRE);
  await waitIdle(page);
  const want11 = (await packageFeatures(11, BBOX, 'land')).filter((p) => p.count != null).map(key).sort();
  const read11 = (await page.evaluate(() => window.__map.querySourceFeatures('onemap', { sourceLayer: 'land' })
    .map((f) => f.properties))).filter((p) => p.count != null).map(key).sort();
  assert.ok(want11.length > 0, 'the package has land cells at zoom 11');
  assert.deepEqual(read11, want11, 'land cells at zoom 11: the map\'s against the package\'s');
  const cells = (await rendered(page, 'land')).filter((p) => p.count != null);
  assert.ok(cells.length > 0, 'land cells drawn at zoom 11');
  for (const c of cells) assert.ok(want11.includes(key(c)), `cell ${key(c)} drawn is not in the package`);
  assert.ok((await rendered(page, 'region')).length > 0, 'county outlines at zoom 11');
  await shot(page, 'offline-kit-z11-1600.png');

  // Zoom 16: the parcels drawn are the package's, with its properties.
  await page.evaluate((c) => window.__map.jumpTo({ center: c, zoom: 16 }), CENTRE);
  await waitIdle(page);
  const view = await page.evaluate(() => window.__map.getBounds().toArray().flat());
  const byCode = new Map((await packageFeatures(16, view, 'land')).filter((p) => p.code).map((p) => [p.code, p]));
  const parcels = (await rendered(page, 'land')).filter((p) => p.code);
  assert.ok(parcels.length > 0, 'parcels at zoom 16');
  for (const p of parcels) {
    const w = byCode.get(p.code);
    assert.ok(w, `parcel ${p.code} is not in the package`);
    assert.deepEqual([p.name, p.stage, p.mode, p.area_mu], [w.name, w.stage, w.mode, w.area_mu], `parcel ${p.code}`);
  }

  // A click on a parcel shows its facts in Chinese.
  const hit = await page.evaluate(() => {
    const m = window.__map;
    const f = m.queryRenderedFeatures({ layers: ['land-fill'] }).find((x) => x.properties.code && x.geometry.type === 'Polygon');
    const ring = f.geometry.coordinates[0].slice(1);
    const c = ring.reduce((a, p) => [a[0] + p[0] / ring.length, a[1] + p[1] / ring.length], [0, 0]);
    const pt = m.project(c);
    return { x: pt.x, y: pt.y };
  });
  const box = await page.locator('#map').boundingBox();
  await page.mouse.click(box.x + hit.x, box.y + hit.y);
  const code = await page.locator('#props [data-test="资产编号"]').textContent();
  const facts = byCode.get(code);
  assert.ok(facts, `clicked ${code}: a parcel of the package`);
  assert.equal(await page.locator('#props [data-test="名称"]').textContent(), facts.name);
  assert.match(await page.locator('#props [data-test="面积"]').textContent(), /亩$/);
  assert.match(await page.locator('#props [data-test="盘活阶段"]').textContent(), /^(未盘活|拟盘活|盘活中|已盘活)$/);
  assert.equal(await page.locator('#props [data-test="行政区"]').textContent(), `${pkg.metadata.names.regions[facts.region_code]}（${facts.region_code}）`);
  assert.equal(await page.evaluate(() => window.__map.getLayoutProperty('land-selected', 'visibility')), 'visible', 'the clicked parcel is outlined');
  await shot(page, 'offline-kit-z16-1600.png');
  noNetwork(page);
  noProblems(page);
  await page.context().close();
});

test('offline kit: fits 1366×768 and 390×844, and speaks English', async () => {
  for (const [w, hgt] of [[1366, 768], [390, 844]]) {
    const page = await openKit({ width: w, height: hgt });
    for (const sel of ['#map', '#side', '#pick-label', '#lang']) {
      const r = await page.locator(sel).boundingBox();
      assert.ok(r && r.width > 0 && r.x >= 0 && r.x + r.width <= w + 0.5 && r.y + r.height <= hgt + 0.5, `${sel} inside ${w}×${hgt}: ${JSON.stringify(r)}`);
    }
    await shot(page, `offline-kit-${w}.png`);
    await page.locator('#lang').click();
    assert.equal(await page.locator('#pick-text').textContent(), 'Choose package');
    assert.match(await page.locator('#legend h3').textContent(), /^Legend/);
    await shot(page, `offline-kit-${w}-en.png`);
    noNetwork(page);
    noProblems(page);
    await page.context().close();
  }
});
