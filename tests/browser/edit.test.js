// Browser tests of editing the map (static/js/edit): 编辑形状 with snapping to a neighbour's vertex,
// undo (Ctrl+Z and the button) and saving (the API has the new outline and area); the earlier
// outline drawn from the history; 新建资产 drawn on the map, refused for its overlap, confirmed
// with a reason; the editor at zoom 16 on 1366×768 and 390×844.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, openPage, waitIdle, shot, signIn } from './harness.js';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { await stack?.stop(); });

const api = async (path) => {
  const res = await fetch(stack.url + path);
  assert.equal(res.status, 200, `GET ${path}`);
  return res.json();
};

const ringsOf = (g) => (g.type === 'Polygon' ? g.coordinates : g.coordinates.flat());
const metres = (a, b) => Math.hypot((a[0] - b[0]) * 96_500, (a[1] - b[1]) * 110_900); // near 29.8°N

/**
 * closePair finds a land parcel A and a vertex v of another parcel lying 5–60 m from one of A's
 * vertices (u): dragging u near v must snap it onto v exactly.
 */
async function closePair() {
  const fc = await api('/api/v1/assets?kind=land&limit=2000&format=geojson&geometry=full&properties=id,code,area_m2');
  const verts = fc.features.map((f) => ({ f, pts: ringsOf(f.geometry).flatMap((r) => r.slice(0, -1)) }));
  const near = (a, b) => Math.abs(a.pts[0][0] - b.pts[0][0]) < 0.003 && Math.abs(a.pts[0][1] - b.pts[0][1]) < 0.003;
  for (const a of verts) {
    for (const b of verts) {
      if (a === b || !near(a, b)) continue;
      for (const u of a.pts) {
        for (const v of b.pts) {
          const d = metres(u, v);
          if (d > 5 && d < 60) return { a: a.f, u, v, neighbour: b.f };
        }
      }
    }
  }
  throw new Error('no two parcels with vertices 5–60 m apart');
}

/** screenOf is where lon/lat c is on the page. */
async function screenOf(page, c) {
  const p = await page.evaluate((c) => window.__map.project(c), c);
  const box = await page.locator('#map canvas').boundingBox();
  return { x: box.x + p.x, y: box.y + p.y };
}

async function drag(page, from, to) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 4 });
  await page.mouse.up();
}

/** vertexAt waits until the editor's vertex layer shows a vertex at page point p. */
async function vertexAt(page, p) {
  const box = await page.locator('#map canvas').boundingBox();
  await page.waitForFunction(([x, y]) => window.__map.queryRenderedFeatures([x, y], { layers: ['edit-vertices'] }).length > 0, [p.x - box.x, p.y - box.y]);
}

const editorRings = (page) => page.evaluate(() => window.__shapeEditor.polys.flat());
const has = (rings, c) => rings.some((r) => r.some((p) => p[0] === c[0] && p[1] === c[1]));

test('编辑形状: a vertex dragged near a neighbour\'s vertex takes its coordinates; undo; save; the API has the new outline and area; the earlier outline can be drawn', { timeout: 240_000 }, async () => {
  const { a, u, v } = await closePair();
  const before = await api(`/api/v1/assets/${a.id}`);
  const page = await openPage(stack, `#/map?a=${a.id}`, { width: 1366, height: 768 });
  await signIn(page, 'analyst');
  await page.evaluate((c) => window.__map.jumpTo({ center: c, zoom: 16 }), [(u[0] + v[0]) / 2, (u[1] + v[1]) / 2]);
  await waitIdle(page);
  await page.locator('[data-test="reshape"]').click();
  await page.waitForFunction(() => window.__shapeEditor?.neighbours.length > 0);
  await waitIdle(page);
  await shot(page, 'edit-01-reshape-1366.png');

  // Drag u to 4 px right and 3 px below v: it snaps onto v exactly.
  const target = await screenOf(page, v);
  const preview = page.waitForResponse((r) => r.url().endsWith('/api/v1/assets/topology'));
  await drag(page, await screenOf(page, u), { x: target.x + 4, y: target.y + 3 });
  assert.equal((await preview).status(), 200, 'each drag asks the server for the topology preview');
  assert.ok(has(await editorRings(page), v), `the dragged vertex is the neighbour's vertex ${v}`);
  assert.equal(await page.evaluate(() => window.__shapeEditor.lastSnap), 'vertex');
  await shot(page, 'edit-02-snapped-1366.png');

  // Another drag, undone by Ctrl+Z; another, undone by the button.
  const saved = JSON.stringify(await editorRings(page));
  const other = ringsOf(before.geometry)[0].find((p) => p[0] !== u[0] || p[1] !== u[1]);
  const o = await screenOf(page, other);
  await drag(page, o, { x: o.x + 40, y: o.y - 30 });
  assert.notEqual(JSON.stringify(await editorRings(page)), saved, 'the second drag moved a vertex');
  await page.keyboard.press('Control+z');
  assert.equal(JSON.stringify(await editorRings(page)), saved, 'Ctrl+Z undoes it');
  await vertexAt(page, o); // the vertex layer has caught up with the undo (GeoJSON sources update asynchronously)
  await drag(page, o, { x: o.x - 35, y: o.y + 25 });
  assert.notEqual(JSON.stringify(await editorRings(page)), saved, 'the third drag moved a vertex');
  await page.locator('[data-test="edit-undo"]').click();
  assert.equal(JSON.stringify(await editorRings(page)), saved, 'the 撤销 button undoes it');

  await page.locator('[data-test="edit-save-shape"]').click();
  // Snapping onto a neighbour may overlap it: then the dialog asks for a reason.
  const outcome = await Promise.race([
    page.locator('#overlap-dialog').waitFor().then(() => 'dialog'),
    page.waitForFunction(() => !document.querySelector('[data-test="edit-bar"]')).then(() => 'saved'),
  ]);
  if (outcome === 'dialog') {
    await page.locator('#overlap-reason').fill('浏览器测试：与相邻地块共用界址点');
    await page.locator('#overlap-confirm').click();
    await page.waitForFunction(() => !document.querySelector('[data-test="edit-bar"]'));
  }
  await page.locator('[data-test="reshape"]').waitFor();
  const after = await api(`/api/v1/assets/${a.id}`);
  assert.equal(after.version, before.version + 1, 'one edit');
  assert.ok(has(ringsOf(after.geometry), v), `the saved outline holds the neighbour's vertex ${v}`);
  assert.ok(Math.abs(after.area_m2 - before.area_m2) > 1, `the area was recomputed: ${before.area_m2} → ${after.area_m2}`);
  const last = after.events[after.events.length - 1];
  assert.ok(last.before.geometry && last.after.geometry, 'the history keeps both outlines');

  // The history draws the earlier outline as a dashed line.
  await page.locator('[data-test="history-outline"]').first().click();
  await waitIdle(page);
  const dashed = await page.evaluate(() => window.__map.getSource('edit-history')?.serialize().data.features.length);
  assert.equal(dashed, 1, 'the earlier outline is on the map');
  await shot(page, 'edit-03-saved-history-outline-1366.png');
});

test('新建资产: a polygon drawn over a parcel is refused for its overlap, the overlap is shown, and a reason saves it', { timeout: 240_000 }, async () => {
  const fc = await api('/api/v1/assets?kind=land&limit=50&sort=-area_mu&format=geojson&geometry=center&properties=id,code,area_m2');
  const big = fc.features[0];
  const page = await openPage(stack, '', { width: 1366, height: 768 });
  await signIn(page, 'analyst');
  await page.evaluate((c) => window.__map.jumpTo({ center: c, zoom: 16 }), big.geometry.coordinates);
  await waitIdle(page);
  await page.locator('[data-test="new-asset"]').click();
  await page.locator('[data-test="edit-bar"]').waitFor();
  await page.waitForFunction(() => window.__shapeEditor?.draft);
  const c = await screenOf(page, big.geometry.coordinates);
  for (const [dx, dy] of [[-18, -18], [18, -18], [18, 18], [-18, 18]]) {
    await page.mouse.click(c.x + dx, c.y + dy);
  }
  assert.equal(await page.evaluate(() => window.__shapeEditor.draft.length), 4, 'four clicks, four vertices');
  await page.locator('[data-test="edit-undo"]').click();
  assert.equal(await page.evaluate(() => window.__shapeEditor.draft.length), 3, '撤销 takes the last vertex back');
  await page.mouse.click(c.x - 18, c.y + 18);
  await shot(page, 'edit-04-drawing-1366.png');
  await page.locator('[data-test="edit-finish"]').click();
  await page.locator('#new-asset').waitFor();
  await page.locator('#new-code').fill('BT-NEW-1');
  await page.locator('#new-asset #edit-name').fill('浏览器测试新建地块');
  await shot(page, 'edit-05-ledger-form-1366.png');
  await page.locator('#new-asset #edit-save').click();
  await page.locator('#overlap-dialog').waitFor();
  await waitIdle(page);
  const listed = await page.locator('[data-test="overlap-list"] li').allTextContents();
  assert.ok(listed.some((s) => s.includes(big.properties.code)), `the dialog lists ${big.properties.code}: ${listed}`);
  await page.waitForFunction(() => window.__map.getSource('edit-overlaps')?.serialize().data.features.length > 0);
  await shot(page, 'edit-06-overlap-dialog-1366.png');
  await page.locator('#overlap-confirm').click();
  assert.equal(await page.locator('#overlap-dialog').count(), 1, 'no reason, no save');
  await page.locator('#overlap-reason').fill('浏览器测试：历史遗留重叠');
  await page.locator('#overlap-confirm').click();
  await page.locator('[data-test="asset-code"]', { hasText: 'BT-NEW-1' }).waitFor();
  const id = await page.evaluate(() => new URLSearchParams(location.hash.split('?')[1]).get('a'));
  const made = await api(`/api/v1/assets/${id}`);
  assert.equal(made.code, 'BT-NEW-1');
  assert.ok(made.area_m2 > 1000, `area ${made.area_m2} m²`);
  assert.match(made.events[0].note, /浏览器测试：历史遗留重叠/, 'the creation event keeps the reason');
  assert.equal(await page.locator('[data-test="edit-bar"]').count(), 0, 'the editor is gone');
  await waitIdle(page);
  await shot(page, 'edit-07-created-1366.png');
});

test('the shape editor on a phone (390×844) at zoom 16', { timeout: 180_000 }, async () => {
  const { a, u } = await closePair();
  const page = await openPage(stack, `#/map?a=${a.id}`, { width: 390, height: 844 });
  await signIn(page, 'analyst');
  await page.locator('[data-test="reshape"]').click();
  await page.locator('[data-test="edit-bar"]').waitFor();
  await page.evaluate((c) => window.__map.jumpTo({ center: c, zoom: 16 }), u);
  await page.waitForFunction(() => window.__shapeEditor?.neighbours.length > 0);
  await waitIdle(page);
  const bar = await page.locator('[data-test="edit-bar"]').boundingBox();
  assert.ok(bar.x >= 0 && bar.x + bar.width <= 390, `the bar fits the screen: ${JSON.stringify(bar)}`);
  await shot(page, 'edit-08-reshape-390.png');
  await page.locator('[data-test="edit-cancel"]').click();
  assert.equal(await page.locator('[data-test="edit-bar"]').count(), 0);
});
