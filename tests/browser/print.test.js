// Browser test of 打印 / 专题图 (issue 13, item 2): a planner prints the view at zoom 15 as an A4
// landscape PDF with the result list; poppler's pdftotext finds the title, the unit, the legend
// entries the page shows, the scale and the table's first code as text, and pdftoppm's raster of
// page 1 has map pixels in the map frame. The print is audited. The same sheet as PNG is 300 dpi
// A4. At 390×844 the dialog fits the phone and prints A4 portrait; at 1600×1000, A3 landscape.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startStack, openPage, waitIdle, shot, noProblems, signIn, ARTIFACTS } from './harness.js';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { await stack?.stop(); });

const sql = (q) => execFileSync('psql', ['-qAt', '-v', 'ON_ERROR_STOP=1', stack.dbURL, '-c', q], { encoding: 'utf8' }).trim();

/** pgm reads a binary PGM (pdftoppm -gray): {width, height, px}. */
function pgm(buf) {
  const head = buf.toString('latin1', 0, 64).match(/^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  return { width: Number(head[1]), height: Number(head[2]), px: buf.subarray(head[0].length) };
}

/** frameInk is the share of non-white pixels and the number of grey levels inside a box (mm) of page 1 at dpi. */
function frameInk(pdf, box, dpi = 50) {
  const out = path.join(ARTIFACTS, 'print-gray');
  execFileSync('pdftoppm', ['-gray', '-r', String(dpi), '-f', '1', '-l', '1', '-singlefile', pdf, out]);
  const img = pgm(readFileSync(`${out}.pgm`));
  const px = (mm) => Math.round((mm / 25.4) * dpi);
  let ink = 0, n = 0;
  const levels = new Set();
  for (let y = px(box.y) + 2; y < px(box.y + box.h) - 2; y++) {
    for (let x = px(box.x) + 2; x < px(box.x + box.w) - 2; x++) {
      const v = img.px[y * img.width + x];
      n++;
      if (v < 245) ink++;
      levels.add(v);
    }
  }
  return { share: ink / n, levels: levels.size };
}

/** print opens the dialog, fills it and saves what the button downloads. */
async function print(page, { title, unit, paper = 'A4', orientation, table, format, file }) {
  await page.locator('[data-test="print-open"]').click();
  await page.locator('[data-test="print-title"]').fill(title);
  await page.locator('[data-test="print-unit"]').fill(unit);
  // A click on the word, as a user does (a forced check() scrolls the segmented control's insides).
  await page.locator('[data-test="print-form"] .segmented label', { hasText: paper }).click();
  await page.locator('[data-test="print-form"] .segmented label', { hasText: orientation === 'portrait' ? '纵向' : '横向' }).click();
  const box = await page.locator('[data-test="print-form"]').boundingBox();
  const view = page.viewportSize();
  assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= view.width + 1, `the dialog within the screen: ${JSON.stringify(box)}`);
  if (table) await page.locator('[data-test="print-table"]').check();
  await shot(page, `print-dialog-${page.viewportSize().width}.png`);
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 240_000 }),
    page.locator(`[data-test="print-${format}"]`).click(),
  ]);
  const out = path.join(ARTIFACTS, file);
  await download.saveAs(out);
  await page.locator('#print-dlg [data-close]').click();
  return out;
}

async function frameParcels(page) {
  const [x, y] = sql(`SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Centroid(ST_Collect(geom)) c FROM
    (SELECT geom FROM assets WHERE kind = 'land' AND deleted_at IS NULL ORDER BY id LIMIT 40) s) t`).split('|').map(Number);
  await page.evaluate(({ x, y }) => window.__map.jumpTo({ center: [x, y], zoom: 15 }), { x, y });
  await waitIdle(page);
}

test('print: an A4 landscape PDF with real text and map pixels, and a 300 dpi PNG (1366×768)', { timeout: 600_000 }, async () => {
  const page = await openPage(stack, '', { width: 1366, height: 768 });
  await signIn(page, 'planner');
  await frameParcels(page);
  await page.locator('#legend .legend-name').first().waitFor();
  const legend = (await page.locator('#legend .legend-name').allTextContents()).map((s) => s.trim());
  // The filter list's first row, as the table pages take it (the list's own order).
  const firstCode = (await (await fetch(`${stack.url}/api/v1/assets?limit=1`)).json()).items[0].code;
  const pdf = await print(page, { title: '咸宁市闲置土地专题图', unit: '咸宁市资产管理中心', orientation: 'landscape', table: true, format: 'pdf', file: 'print-a4-landscape.pdf' });

  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  for (const want of ['咸宁市闲置土地专题图', '制图单位：咸宁市资产管理中心', '土地', '比例尺 1:', 'CGCS2000', '资产编号', firstCode, ...legend]) {
    assert.ok(text.includes(want), `the PDF's text has ${want}:\n${text.slice(0, 1500)}`);
  }
  assert.match(text, /\d+ 米|\d+ 千米/, 'the scale bar is labelled');
  assert.ok(text.split('\f').length >= 3, 'a page of map and at least one of table');
  const ink = frameInk(pdf, { x: 10, y: 24, w: 277, h: 134 });
  console.log(`# map frame: ${(ink.share * 100).toFixed(1)} % ink, ${ink.levels} grey levels`);
  assert.ok(ink.share > 0.3 && ink.levels > 20, `map pixels in the frame: ${JSON.stringify(ink)}`);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '2', pdf, path.join(ARTIFACTS, 'print-a4-landscape')]);
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'print' AND actor = 'planner'`), '1');

  const png = readFileSync(await print(page, { title: '咸宁市闲置土地专题图', unit: '咸宁市资产管理中心', orientation: 'landscape', format: 'png', file: 'print-a4-landscape.png' }));
  assert.equal(png.toString('latin1', 1, 4), 'PNG');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [3508, 2480], 'A4 at 300 dpi');
  noProblems(page);
  await page.context().close();
});

test('print: the dialog on a phone, A4 portrait (390×844)', { timeout: 600_000 }, async () => {
  const page = await openPage(stack, '', { width: 390, height: 844 });
  await signIn(page, 'planner');
  await frameParcels(page);
  const pdf = await print(page, { title: '专题图 phone', unit: '测试', orientation: 'portrait', table: false, format: 'pdf', file: 'print-a4-portrait.pdf' });
  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
  assert.ok(text.includes('专题图 phone') && text.includes('比例尺'), text);
  assert.equal(text.split('\f').length, 2, 'one page without the table');
  const ink = frameInk(pdf, { x: 10, y: 24, w: 190, h: 221 });
  assert.ok(ink.share > 0.3 && ink.levels > 20, `map pixels in the frame: ${JSON.stringify(ink)}`);
  execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', pdf, path.join(ARTIFACTS, 'print-a4-portrait')]);
  noProblems(page);
  await page.context().close();
});

test('print: the dialog on a wide screen, A3 landscape (1600×1000)', { timeout: 600_000 }, async () => {
  const page = await openPage(stack, '', { width: 1600, height: 1000 });
  await signIn(page, 'planner');
  await frameParcels(page);
  const pdf = await print(page, { title: '专题图 A3', unit: '测试', paper: 'A3', orientation: 'landscape', table: false, format: 'pdf', file: 'print-a3-landscape.pdf' });
  assert.match(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }), /Page size:\s+1190\.\d+ x 841\.\d+ pts/, 'A3 landscape');
  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
  assert.ok(text.includes('专题图 A3') && text.includes('比例尺'), text);
  const ink = frameInk(pdf, { x: 10, y: 24, w: 400, h: 221 });
  assert.ok(ink.share > 0.3 && ink.levels > 20, `map pixels in the frame: ${JSON.stringify(ink)}`);
  execFileSync('pdftoppm', ['-png', '-r', '40', '-f', '1', '-l', '1', pdf, path.join(ARTIFACTS, 'print-a3-landscape')]);
  noProblems(page);
  await page.context().close();
});
