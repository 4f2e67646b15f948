// Browser test of 数据导入 (issue 13 item 6): a small GBK Shapefile of 三调 parcels, made with
// ogr2ogr (-lco ENCODING=GBK), goes through the map's 导入 dialog — dry run, then commit — and
// ends with the rows the CLI's `onemap import --dry-run` of the same file reports: the same
// counts (ok / repaired / rejected), the same codes written, the Chinese text decoded. The
// imported assets are framed on the map and listed. Screens at 1366×768 and 390×844.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStack, openPage, shot, noProblems, signIn, ROOT } from './harness.js';

let stack;
let dir;
let zipBuf;
const CODES = ['IMP-0001', 'IMP-0002', 'IMP-0003'];
const HOLDERS = ['咸安区横沟桥镇集体经济组织', '嘉鱼县国有资产经营公司', '通山县九宫山林场'];

/** square is a closed ring of side d degrees at (lon, lat); bowtie crosses itself (ST_MakeValid repairs it). */
const square = (lon, lat, d) => [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]];
const bowtie = (lon, lat, d) => [[lon, lat], [lon + d, lat + d], [lon + d, lat], [lon, lat + d], [lon, lat]];

/** makeShapefile writes the parcels as GeoJSON and has ogr2ogr turn them into a zipped GBK Shapefile. */
function makeShapefile(centres) {
  dir = mkdtempSync(path.join(os.tmpdir(), 'onemap-imp-'));
  const props = (i, code) => ({ BSM: code, DLBM: '0602', DLMC: '工业用地', QSDWMC: HOLDERS[i % 3], ZLDWMC: `横沟桥镇${i + 1}组`, TBMJ: 0 });
  const feats = [
    { type: 'Feature', properties: props(0, CODES[0]), geometry: { type: 'Polygon', coordinates: [square(...centres[0], 0.0004)] } },
    { type: 'Feature', properties: props(1, CODES[1]), geometry: { type: 'Polygon', coordinates: [bowtie(...centres[1], 0.0004)] } },
    { type: 'Feature', properties: props(2, CODES[2]), geometry: { type: 'Polygon', coordinates: [square(...centres[2], 0.0004)] } },
    // a repeated 标识码: rejected with its reason
    { type: 'Feature', properties: props(2, CODES[0]), geometry: { type: 'Polygon', coordinates: [square(...centres[2], 0.0002)] } },
  ];
  for (const f of feats) delete f.properties.TBMJ; // declared areas would only add warnings
  const src = path.join(dir, 'in.geojson');
  writeFileSync(src, JSON.stringify({ type: 'FeatureCollection', features: feats }));
  execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-a_srs', 'EPSG:4490', '-lco', 'ENCODING=GBK', '-nln', 'dltb', path.join(dir, 'dltb.shp'), src], { stdio: 'pipe' });
  const cpg = readFileSync(path.join(dir, 'dltb.cpg'), 'utf8');
  assert.match(cpg, /GBK|936/i, 'the Shapefile says GBK');
  assert.ok(readFileSync(path.join(dir, 'dltb.dbf')).includes(Buffer.from([0xba, 0xe1])), 'the DBF holds GBK bytes (横 = BA E1)');
  execFileSync('zip', ['-j', '-q', path.join(dir, 'dltb.zip'), ...['shp', 'shx', 'dbf', 'prj', 'cpg'].map((e) => path.join(dir, `dltb.${e}`))]);
  return readFileSync(path.join(dir, 'dltb.zip'));
}

/** cliDryRun runs `onemap import --dry-run` on the file and reads its summary line. */
function cliDryRun(file) {
  const out = execFileSync(path.join(ROOT, 'bin/onemap'), ['import', '--kind', 'land', '--dry-run', file],
    { env: { ...process.env, ONEMAP_DATABASE_URL: stack.dbURL }, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  const m = out.match(/would import (\d+) of (\d+) rows \((\d+) new, (\d+) updated, (\d+) unchanged, (\d+) skipped, (\d+) rejected, (\d+) repaired\)/);
  assert.ok(m, `CLI summary: ${out}`);
  const [written, read, inserted, updated, unchanged, skipped, rejected, repaired] = m.slice(1).map(Number);
  return { out, counts: { read, ok: written, inserted, updated, unchanged, skipped, rejected, repaired } };
}

before(async () => {
  stack = await startStack();
  const res = await fetch(`${stack.url}/api/v1/assets?kind=land&limit=3&format=geojson&geometry=center&properties=id`);
  const centres = (await res.json()).features.map((f) => f.geometry.coordinates);
  assert.equal(centres.length, 3);
  zipBuf = makeShapefile(centres);
});
after(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** counts reads the report's figures from the dialog. */
const counts = (page) => page.locator('[data-test="imp-report"] [data-n]').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.dataset.n, Number(e.querySelector('b').textContent)])));

async function dryRun(page, { signedIn = false } = {}) {
  if (!signedIn) await signIn(page, 'analyst');
  await page.locator('#import-open').click();
  await page.locator('#imp-file').setInputFiles({ name: 'dltb.zip', mimeType: 'application/zip', buffer: zipBuf });
  await page.locator('#imp-kind').selectOption('land');
  await page.locator('#imp-dry').click();
  await page.locator('[data-test="imp-report"]').waitFor({ timeout: 60_000 });
}

test('import: a GBK Shapefile through the dialog, dry run then commit, ends with the CLI\'s rows', async () => {
  const cli = cliDryRun(path.join(dir, 'dltb.zip'));
  assert.deepEqual(cli.counts, { read: 4, ok: 3, inserted: 3, updated: 0, unchanged: 0, skipped: 0, rejected: 1, repaired: 1 }, cli.out);
  const page = await openPage(stack, '#/map', { width: 1366, height: 768 });
  await dryRun(page);
  const dry = await counts(page);
  for (const k of ['read', 'ok', 'inserted', 'rejected', 'repaired']) assert.equal(dry[k], cli.counts[k], `dry run ${k}: UI ${dry[k]}, CLI ${cli.counts[k]}`);
  const found = await page.locator('[data-test="imp-found"]').innerText();
  assert.match(found, /shapefile/i);
  assert.match(found, /GBK|936/i, 'the encoding found');
  assert.match(found, /4490/, 'the CRS found');
  // 三调 defaults: BSM → code, QSDWMC → holder; the first rows decoded from GBK
  assert.equal(await page.locator('select[data-field="BSM"]').inputValue(), 'code');
  assert.equal(await page.locator('select[data-field="QSDWMC"]').inputValue(), 'holder');
  assert.equal(await page.locator('[data-test="imp-preview-row"]').count(), 4);
  assert.match(await page.locator('.imp-preview').innerText(), new RegExp(HOLDERS[0]));
  assert.match(await page.locator('.imp-preview').innerText(), /横沟桥镇1组 工业用地/, 'ZLDWMC + DLMC make the name');
  assert.equal(await page.locator('.imp-report tr[data-action="rejected"]').count(), 1);
  assert.match(await page.locator('.imp-report tr[data-action="rejected"]').innerText(), /repeats row/);
  assert.equal(await page.locator('.imp-report tr[data-action="repaired"]').count(), 1);
  // the report as CSV
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#imp-csv').click()]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(csv, /拒绝/);
  assert.match(csv, /IMP-0001/);
  await page.locator('#import-dlg .modal-body').evaluate((el) => { el.scrollTop = 0; });
  await shot(page, 'import-dry-1366.png');
  await page.locator('#import-dlg .imp-report').scrollIntoViewIfNeeded();
  await shot(page, 'import-report-1366.png');
  // commit: the dialog closes, the imported assets are listed and framed
  await page.locator('#imp-commit').click();
  await page.locator('#import-dlg').waitFor({ state: 'detached', timeout: 60_000 });
  await page.locator('#results:not([hidden]) .results-title', { hasText: '本次导入的资产（3）' }).waitFor();
  const listed = await page.locator('#results tr[data-id] code').allInnerTexts();
  assert.deepEqual(listed.sort(), CODES, 'the list holds the imported codes');
  const runs = await (await page.request.get(`${stack.url}/api/v1/imports?limit=1`)).json();
  const run = runs.items[0];
  assert.equal(run.dry_run, false);
  assert.equal(run.rows_written, cli.counts.ok, 'the commit wrote what the CLI dry run would');
  assert.equal(run.rows_rejected, cli.counts.rejected);
  const got = await (await page.request.get(`${stack.url}/api/v1/imports/${run.id}/assets`)).json();
  assert.deepEqual(got.items.map((a) => a.code).sort(), CODES);
  for (const a of got.items) assert.equal(a.holder, HOLDERS[CODES.indexOf(a.code)], `${a.code}: holder decoded from GBK`);
  const [w, s, e, n] = got.bbox;
  const view = await page.evaluate(() => window.__map.getBounds().toArray());
  assert.ok(view[0][0] <= w && view[0][1] <= s && view[1][0] >= e && view[1][1] >= n, `the view ${view} frames the imported extent ${got.bbox}`);
  await page.waitForTimeout(500);
  await shot(page, 'import-done-1366.png');
  noProblems(page);
  await page.context().close();
});

for (const size of [{ width: 1600, height: 1000, tag: 'wide' }, { width: 390, height: 844, tag: 'phone' }]) {
  test(`import at ${size.width}×${size.height}: the dialog fits, the mapping stays editable`, async () => {
    const page = await openPage(stack, '#/map', { width: size.width, height: size.height });
    await signIn(page, 'analyst');
    await shot(page, `import-button-${size.tag}.png`);
    await dryRun(page, { signedIn: true });
    const box = await page.locator('#import-dlg').boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= size.width, `dialog at ${JSON.stringify(box)}`);
    await shot(page, `import-dry-${size.tag}.png`);
    // the codes are in since the first test: skipped now, so nothing to commit
    assert.equal((await counts(page)).skipped, 3);
    assert.ok(await page.locator('#imp-commit').isDisabled(), 'nothing to write: no commit');
    await page.locator('#import-dlg .imp-report').scrollIntoViewIfNeeded();
    await shot(page, `import-report-${size.tag}.png`);
    // the mapping is editable: QSDWMC ignored, checked again, and the answer says so
    await page.locator('select[data-field="QSDWMC"]').selectOption('-');
    await page.locator('#imp-progress-text', { hasText: '字段对应已修改' }).waitFor();
    await page.locator('#imp-dry').click();
    await page.waitForFunction(() => document.querySelector('select[data-field="QSDWMC"]')?.value === '-' && !document.querySelector('#imp-dry').disabled);
    assert.equal(await page.locator('select[data-field="BSM"]').inputValue(), 'code');
    noProblems(page);
    await page.context().close();
  });
}
