// Browser test of the offline package (issue 14 item 6): `onemap tiles export --format pmtiles`
// writes a package of part of the demo city; 打开离线包 opens it through the file input, and the
// map then shows land (overview cells at zoom 11, parcels at zoom 16) with every tile request to
// the server refused — and none made. 下载离线地图 downloads the offline map kit (the viewer that
// needs no server, tested in offline-kit.test.js) once the server has a package.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStack, openPage, shot, waitIdle, ROOT } from './harness.js';

let stack;
let dir;
before(async () => {
  stack = await startStack();
  dir = mkdtempSync(path.join(os.tmpdir(), 'onemap-offline-'));
});
after(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const BIN = path.join(ROOT, 'bin/onemap');
const CENTRE = [114.32, 29.84];

/** exportPackage writes the package of a box around CENTRE, zooms 0–16, and returns its path. */
function exportPackage() {
  const file = path.join(dir, 'xianning.pmtiles');
  execFileSync(BIN, ['tiles', '-db', stack.dbURL, 'refresh'], { stdio: 'pipe', timeout: 120_000 });
  execFileSync(BIN, ['tiles', '-db', stack.dbURL, 'export', '--format', 'pmtiles', '--bbox', '114.26,29.79,114.38,29.89',
    '--minzoom', '0', '--maxzoom', '16', '-o', file], { stdio: 'pipe', timeout: 300_000 });
  return file;
}

/** landShown counts rendered features of the land layer, and how many are parcels (they have a code). */
const landShown = (page) => page.evaluate(() => {
  const fs = window.__map.queryRenderedFeatures().filter((f) => f.source === 'onemap' && f.sourceLayer === 'land');
  return { all: fs.length, parcels: fs.filter((f) => f.properties.code).length };
});

test('offline package: opened from disk, the map shows land at zoom 11 and 16 with no tile asked of the server', async () => {
  const file = exportPackage();
  const page = await openPage(stack, `#/map?c=${CENTRE.join(',')}&z=11`, { width: 1600, height: 1000 });
  let serverTiles = 0;
  await page.route('**/tiles/**', (route) => { serverTiles++; return route.abort(); });
  const button = page.locator('#offline-open');
  assert.equal(await button.textContent(), '打开离线包');
  await page.locator('#offline-file').setInputFiles(file);
  await page.waitForFunction(() => window.__map.getSource('onemap').tiles[0].startsWith('pmtiles://'));
  await waitIdle(page);
  const z11 = await landShown(page);
  assert.ok(z11.all > 0, `land at zoom 11 from the package: ${JSON.stringify(z11)}`);
  await shot(page, 'offline-z11-1600.png');

  await page.evaluate((c) => window.__map.jumpTo({ center: c, zoom: 16 }), CENTRE);
  await waitIdle(page);
  const z16 = await landShown(page);
  assert.ok(z16.parcels > 0, `parcels at zoom 16 from the package: ${JSON.stringify(z16)}`);
  await shot(page, 'offline-z16-1600.png');
  assert.equal(serverTiles, 0, 'tile requests to the server after opening the package');
  await page.context().close();
});

test('offline package: the button fits the tool group at 1366×768 and 390×844, and speaks English', async () => {
  for (const [w, hgt] of [[1366, 768], [390, 844]]) {
    const page = await openPage(stack, `#/map?c=${CENTRE.join(',')}&z=11`, { width: w, height: hgt });
    const box = await page.locator('#offline-open').boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= w && box.y + box.height <= hgt, `button inside ${w}×${hgt}: ${JSON.stringify(box)}`);
    // 下载离线地图 is for a computer (the kit is a folder to open there): not on a phone.
    assert.equal(await page.locator('#offline-download').isVisible(), w > 640, `下载离线地图 shown at ${w}`);
    await shot(page, `offline-button-${w}.png`);
    await page.locator('#lang').click();
    assert.equal(await page.locator('#offline-open').textContent(), 'Open offline package');
    await page.context().close();
  }
});

test('下载离线地图: says how to make a package when the server has none, else downloads the kit', async () => {
  const page = await openPage(stack, `#/map?c=${CENTRE.join(',')}&z=11`, { width: 1366, height: 768 });
  const link = page.locator('#offline-download');
  assert.equal(await link.textContent(), '下载离线地图');
  await link.click();
  await page.locator('.toast', { hasText: 'onemap tiles export' }).waitFor();
  await page.context().close();

  exportPackage();
  const withPackage = await stack.serveAlso(['-pmtiles-dir', dir]);
  const other = await openPage({ ...stack, url: withPackage }, `#/map?c=${CENTRE.join(',')}&z=11`, { width: 1366, height: 768 });
  const [download] = await Promise.all([other.waitForEvent('download'), other.locator('#offline-download').click()]);
  assert.equal(download.suggestedFilename(), 'onemap-offline.zip');
  const zip = readFileSync(await download.path());
  assert.equal(zip.subarray(0, 2).toString(), 'PK');
  for (const name of ['onemap-offline/index.html', 'onemap-offline/viewer.js', 'onemap-offline/xianning.pmtiles']) {
    assert.ok(zip.includes(Buffer.from(name)), `the kit holds ${name}`);
  }
  await shot(other, 'offline-download-1366.png');
  await other.context().close();
});
