// Browser tests of split and merge (issue 12, items 3 and 4): an analyst draws a line across a
// demo parcel at zoom 16, sees the pieces, confirms, and the API's children add up to the parcel;
// an analyst merges two touching parcels (found by SQL) by clicking the second on the map. Both
// at 1366×768 and 390×844, with the panel's 来源 linking back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startStack, openPage, waitIdle, shot, noProblems, signIn } from './harness.js';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { await stack?.stop(); });

const sql = (q) => execFileSync('psql', ['-qAt', '-v', 'ON_ERROR_STOP=1', stack.dbURL, '-c', q], { encoding: 'utf8' }).trim();

const api = async (path) => {
  const res = await fetch(stack.url + path);
  assert.equal(res.status, 200, `GET ${path}`);
  return res.json();
};

const SIZES = [{ width: 1600, height: 1000 }, { width: 1366, height: 768 }, { width: 390, height: 844 }];
const taken = new Set(); // parcels an earlier test split or merged

/** splittable is a live one-part land parcel (of 0.5 to 5 ha) no earlier test used: id, a point on it, its y extent. */
function splittable() {
  const rows = sql(`SELECT id, ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)), ST_YMin(geom), ST_YMax(geom)
    FROM assets WHERE kind = 'land' AND deleted_at IS NULL AND ST_NumGeometries(geom) = 1 AND area_m2 BETWEEN 5000 AND 50000
    ORDER BY id LIMIT 20`).split('\n').map((r) => r.split('|').map(Number));
  const [id, x, y, y0, y1] = rows.find((r) => !taken.has(r[0]));
  taken.add(id);
  return { id, x, y, y0, y1 };
}

/** touchingPair is two live land parcels sharing an edge (touching, not overlapping), neither used before. */
function touchingPair() {
  const rows = sql(`SELECT a.id, b.id FROM assets a JOIN assets b ON a.id < b.id AND ST_Intersects(a.geom, b.geom)
    WHERE a.kind = 'land' AND b.kind = 'land' AND a.deleted_at IS NULL AND b.deleted_at IS NULL
      AND ST_Area(ST_Intersection(a.geom, b.geom)::geography) < 1 AND a.area_m2 > 300 AND b.area_m2 > 300
    ORDER BY a.id LIMIT 20`).split('\n').filter(Boolean).map((r) => r.split('|').map(Number));
  const pair = rows.find(([a, b]) => !taken.has(a) && !taken.has(b));
  assert.ok(pair, 'the demo city has two touching parcels');
  pair.forEach((id) => taken.add(id));
  return pair;
}

/** openAs opens asset id's panel as the analyst. */
async function openAs(size, id) {
  const page = await openPage(stack, `#/map?a=${id}`, size);
  await page.locator('[data-test="asset-code"]').waitFor();
  await signIn(page, 'analyst');
  await page.locator('[data-test="split-start"]').waitFor();
  return page;
}

/** frame shows lon, lat at zoom 16 in the middle of the map (a tool on a phone hides the sheet). */
async function frame(page, lon, lat) {
  await page.evaluate(({ lon, lat }) => window.__map.jumpTo({ center: [lon, lat], zoom: 16 }), { lon, lat });
  await waitIdle(page);
}

/** pixel is where lon, lat is on the page; it must show the map there (no panel or bar over it). */
async function pixel(page, lon, lat) {
  const p = await page.evaluate(([lon, lat]) => window.__map.project([lon, lat]), [lon, lat]);
  const box = await page.locator('#map canvas').boundingBox();
  const at = { x: box.x + p.x, y: box.y + p.y };
  const onMap = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.tagName === 'CANVAS', at);
  assert.ok(onMap, `the map is free at ${lon},${lat} (${at.x},${at.y})`);
  return at;
}

for (const size of SIZES) {
  const tag = `${size.width}`;

  test(`split a demo parcel with a drawn line at zoom 16 (${tag})`, { timeout: 180_000 }, async () => {
    const c = splittable();
    const before = await api(`/api/v1/assets/${c.id}`);
    const page = await openAs(size, c.id);
    await page.locator('[data-test="split-start"]').click();
    await page.waitForFunction(() => window.__splitDraw?.getMode() === 'linestring');
    await frame(page, c.x, c.y);
    // A north-south line through a point on the parcel, a little beyond it both ways.
    const pad = (c.y1 - c.y0) * 0.15 + 0.0002;
    const top = await pixel(page, c.x, c.y1 + pad);
    const bottom = await pixel(page, c.x, c.y0 - pad);
    await page.mouse.move(top.x, top.y);
    await page.mouse.click(top.x, top.y);
    await page.mouse.move(bottom.x, bottom.y, { steps: 5 });
    await page.mouse.click(bottom.x, bottom.y);
    await page.mouse.click(bottom.x, bottom.y); // the last point again finishes the line
    await page.locator('[data-test="split-confirm"]').waitFor();
    const summary = await page.locator('[data-test="split-summary"]').textContent();
    assert.match(summary, /分割为 \d+ 块/);
    await waitIdle(page);
    await shot(page, `split-01-preview-${tag}.png`);
    await page.locator('[data-test="split-confirm"]').click();
    await page.locator('[data-test="asset-code"]', { hasText: `${before.code}-1` }).waitFor();
    // The API: the parent is retired, its children add up to it within 0.01 %.
    assert.equal((await fetch(`${stack.url}/api/v1/assets/${c.id}`)).status, 404, 'the parent is retired');
    const kids = sql(`SELECT child_id FROM asset_lineage WHERE parent_id = ${c.id} ORDER BY child_id`).split('\n').map(Number);
    assert.ok(kids.length >= 2, `children ${kids}`);
    let sum = 0;
    for (const k of kids) {
      const a = await api(`/api/v1/assets/${k}`);
      assert.equal(a.lineage.from[0].code, before.code);
      sum += a.area_m2;
    }
    assert.ok(Math.abs(sum - before.area_m2) / before.area_m2 < 1e-4, `children ${sum} m², parcel ${before.area_m2} m²`);
    // The panel links back to where the piece came from; the map (framing the first piece above
    // a phone's sheet) shows the pieces.
    await page.locator('[data-test="lineage"]', { hasText: before.code }).waitFor();
    await waitIdle(page);
    const shown = await page.evaluate((ids) => {
      const m = window.__map;
      const got = m.queryRenderedFeatures({ layers: ['land-fill'] }).map((f) => Number(f.properties.id));
      return ids.filter((id) => got.includes(id)).length;
    }, [c.id, ...kids]);
    assert.equal(shown, kids.length, 'the map shows every child and not the parent');
    await page.locator('[data-test="lineage"]').scrollIntoViewIfNeeded();
    await shot(page, `split-02-done-${tag}.png`);
    noProblems(page);
    await page.context().close();
  });

  test(`merge two touching parcels by clicking the second on the map (${tag})`, { timeout: 180_000 }, async () => {
    const [a, b] = touchingPair();
    const pa = await api(`/api/v1/assets/${a}`);
    const pb = await api(`/api/v1/assets/${b}`);
    const [bx, by] = sql(`SELECT ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) FROM assets WHERE id = ${b}`).split('|').map(Number);
    const [mx, my] = sql(`SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Centroid(ST_Collect(geom)) c FROM assets WHERE id IN (${a}, ${b})) s`).split('|').map(Number);
    const page = await openAs(size, a);
    await page.locator('[data-test="merge-start"]').click();
    await page.locator('[data-test="merge-item"]').first().waitFor();
    await frame(page, mx, my);
    const at = await pixel(page, bx, by);
    await page.keyboard.down('Shift');
    await page.mouse.click(at.x, at.y);
    await page.keyboard.up('Shift');
    await page.locator('[data-test="merge-summary"]').waitFor();
    assert.equal(await page.locator('[data-test="merge-item"]').count(), 2);
    await waitIdle(page);
    await shot(page, `merge-01-picked-${tag}.png`);
    await page.locator('[data-test="merge-confirm"]').click();
    await page.locator('[data-test="lineage"]', { hasText: pb.code }).waitFor();
    const id = Number(sql(`SELECT child_id FROM asset_lineage WHERE parent_id = ${a} AND action = 'merge'`));
    const m = await api(`/api/v1/assets/${id}`);
    assert.deepEqual(m.lineage.from.map((r) => r.id).sort((x, y) => x - y), [a, b].sort((x, y) => x - y));
    assert.equal(m.code, pa.code);
    assert.ok(Math.abs(m.area_m2 - pa.area_m2 - pb.area_m2) / m.area_m2 < 1e-4, `merged ${m.area_m2} m², parts ${pa.area_m2} + ${pb.area_m2}`);
    await waitIdle(page);
    await page.locator('[data-test="lineage"]').scrollIntoViewIfNeeded();
    await shot(page, `merge-02-done-${tag}.png`);
    noProblems(page);
    await page.context().close();
  });
}
