// Browser tests of live data (issue 10, item 4): an edit shows at once. The editor sees a saved
// change on the map (zoom 16 parcels and the zoom-11 overview) and in the list within 1 s; a second
// browser within 5 s, without a reload; the tile swap leaves nothing blank; a version conflict keeps
// what the user typed beside the current values.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, openPage, waitIdle, shot, DEMO_PASSWORD, signIn } from './harness.js';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { await stack?.stop(); });

const api = async (path) => {
  const res = await fetch(stack.url + path);
  assert.equal(res.status, 200, `GET ${path}`);
  return res.json();
};

const LAND = ['land-fill', 'land-point'];
const STAGE_COLORS = { idle: '#e03131', planned: '#f59f00', in_progress: '#1971c2', done: '#2f9e44' };

async function token(username) {
  const res = await fetch(`${stack.url}/api/v1/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  return (await res.json()).token;
}

/** centre is the middle of a geometry's bounding box. */
function centre(g) {
  const pts = [];
  const walk = (c) => (typeof c[0] === 'number' ? pts.push(c) : c.forEach(walk));
  walk(g.coordinates);
  const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
  return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
}

/** jump moves a page's map and waits for its tiles. */
async function jump(page, center, zoom) {
  await page.evaluate(({ center, zoom }) => window.__map.jumpTo({ center, zoom }), { center, zoom });
  await waitIdle(page);
}

/** stageAt is the stage of the land feature drawn at lngLat (a parcel, or an overview cell). */
const stageAt = (page, lngLat) => page.evaluate(({ lngLat, layers }) => {
  const m = window.__map;
  const f = m.queryRenderedFeatures(m.project(lngLat), { layers })[0];
  return f ? { stage: f.properties.stage, id: f.properties.id ?? null, count: f.properties.count ?? null } : null;
}, { lngLat, layers: LAND });

/** waitStage resolves with the ms from t0 until the map draws `stage` at lngLat. */
async function waitStage(page, lngLat, stage, t0, timeout) {
  await page.waitForFunction(({ lngLat, layers, stage }) => {
    const m = window.__map;
    const f = m.queryRenderedFeatures(m.project(lngLat), { layers })[0];
    return f?.properties.stage === stage;
  }, { lngLat, layers: LAND, stage }, { polling: 25, timeout });
  return Date.now() - t0;
}

/**
 * watchBlank counts, from now on, frames drawn while the onemap source had no tile ready to draw
 * (what a flicker is: the old tiles dropped before the new ones came). Asking MapLibre for its
 * renderable tiles is cheap enough to do at every frame, unlike querying the features.
 */
const watchBlank = (page) => page.evaluate(() => {
  const m = window.__map;
  const tiles = () => (m.style.tileManagers || m.style.sourceCaches).onemap.getRenderableIds().length;
  window.__blank = { frames: 0, empty: 0, tiles: tiles() };
  m.on('render', () => {
    window.__blank.frames++;
    if (!tiles()) window.__blank.empty++;
  });
});

/**
 * saveStage picks a stage in the open panel's form and saves; it returns the click's time and a
 * promise of the ms from the click to the PATCH answer (the server's own part of the wait).
 */
async function saveStage(page, stage) {
  await page.locator('#edit-stage').selectOption(stage);
  const answered = page.waitForResponse((r) => r.request().method() === 'PATCH');
  const t0 = Date.now();
  await page.locator('#edit-save').click();
  return { t0, patchMs: answered.then(() => Date.now() - t0) };
}

// The budget from the click on 保存修改 to the change on screen: the 1 s. The save's own
// server time is part of it; on a loaded machine ONEMAP_LIVE_BUDGET_MS may widen it (the figures
// printed tell the server's part and the page's part apart).
const BUDGET = Number(process.env.ONEMAP_LIVE_BUDGET_MS || 1000);

/** otherStage is a stage different from s. */
const otherStage = (s, not = []) => ['done', 'planned', 'in_progress', 'idle'].find((x) => x !== s && !not.includes(x));

test('an edit shows at once: the editor within 1 s (map at zoom 16, list), a second browser within 5 s', { timeout: 240_000 }, async () => {
  const { items: [a] } = await api('/api/v1/assets?kind=land&sort=-area_mu&limit=1');
  const detail = await api(`/api/v1/assets/${a.id}`);
  const at = centre(detail.geometry);
  const hash = `#/map?by=stage&q=${encodeURIComponent(a.code)}&a=${a.id}&c=${at.join(',')}&z=16`;
  const editor = await openPage(stack, hash);
  const viewer = await openPage(stack, `#/map?by=stage&c=${at.join(',')}&z=16`);
  await signIn(editor, 'analyst');
  await editor.locator('#edit-form').waitFor();
  await jump(editor, at, 16);
  await jump(viewer, at, 16);
  const was = await stageAt(editor, at);
  assert.equal(was?.id, a.id, 'the parcel is drawn at its centre at zoom 16');
  assert.equal((await stageAt(viewer, at))?.stage, a.stage, 'the second browser draws it too');
  const to = otherStage(a.stage);
  const row = editor.locator('#results tbody tr', { hasText: a.code });
  assert.equal(await row.count(), 1, 'the list holds the parcel');
  const sources = await viewer.evaluate(() => window.__map.getSource('onemap').tiles[0]);
  await watchBlank(editor);
  await watchBlank(viewer);

  const { t0, patchMs } = await saveStage(editor, to);
  const [mapMs, listMs, viewerMs] = await Promise.all([
    waitStage(editor, at, to, t0, 5000),
    editor.waitForFunction(({ code, label }) => [...document.querySelectorAll('#results tbody tr')].some((r) => r.textContent.includes(code) && r.textContent.includes(label)),
      { code: a.code, label: { done: '已盘活', planned: '拟盘活', in_progress: '盘活中', idle: '未盘活' }[to] }, { polling: 25, timeout: 5000 }).then(() => Date.now() - t0),
    waitStage(viewer, at, to, t0, 10_000),
  ]);
  console.log(`zoom 16: PATCH answered ${await patchMs} ms; editor map ${mapMs} ms, editor list ${listMs} ms, second browser ${viewerMs} ms`); // eslint-disable-line no-console
  const pageMs = mapMs - await patchMs;
  assert.ok(pageMs <= 1000, `the editor's map shows the change ${pageMs} ms after the save's answer (≤ 1 s, whatever the budget)`);
  assert.ok(mapMs <= BUDGET, `the editor's map shows the change in ${mapMs} ms (≤ ${BUDGET} ms)`);
  assert.ok(listMs <= BUDGET, `the editor's list shows the change in ${listMs} ms (≤ ${BUDGET} ms)`);
  assert.ok(viewerMs <= 5000, `a second browser shows the change in ${viewerMs} ms (≤ 5 s)`);
  const after = await api(`/api/v1/assets/${a.id}`);
  assert.equal(after.stage, to, 'the API has the new stage');
  const colour = await editor.evaluate(({ lngLat }) => {
    const m = window.__map;
    const f = m.queryRenderedFeatures(m.project(lngLat), { layers: ['land-fill'] })[0];
    const c = f?.layer.paint['fill-color'];
    return c && typeof c === 'object' ? `#${[c.r, c.g, c.b].map((x) => Math.round(x * 255).toString(16).padStart(2, '0')).join('')}` : String(c);
  }, { lngLat: at });
  assert.equal(colour, STAGE_COLORS[to], `the parcel is painted in the colour of ${to}`);
  const newURL = await viewer.evaluate(() => window.__map.getSource('onemap').tiles[0]);
  assert.notEqual(newURL, sources, 'the second browser swapped its tile URL');
  assert.match(newURL, new RegExp(`v=${after.version ? '\\d+' : ''}`), 'the tile URL is versioned');
  await Promise.race([waitIdle(editor), editor.waitForTimeout(10_000)]); // a rebuild's version may still be loading
  const blank = await Promise.all([editor, viewer].map((p) => p.evaluate(() => window.__blank)));
  assert.ok(blank.every((b) => b.tiles > 0 && b.frames > 0 && b.empty === 0), `no frame without the parcels during the swap: ${JSON.stringify(blank)}`);
  await shot(editor, 'live-01-editor-z16.png');
  await shot(viewer, 'live-02-viewer-z16.png');
  for (const p of [editor, viewer]) await p.context().close();
});

test('an edit shows on the zoom-11 overview: the editor within 1 s, a second browser within 5 s', { timeout: 240_000 }, async () => {
  // A parcel alone in its overview cell: the cell's colour is the parcel's stage.
  const viewer = await openPage(stack, '#/map?by=stage');
  const city = await api('/tiles/onemap.json');
  await jump(viewer, city.center.slice(0, 2), 11);
  const cells = await viewer.evaluate((layers) => window.__map.queryRenderedFeatures({ layers })
    .filter((f) => f.properties.count === 1 && f.geometry.type === 'Polygon')
    .map((f) => ({ ring: f.geometry.coordinates[0], stage: f.properties.stage })), LAND);
  assert.ok(cells.length > 0, 'the overview has cells holding one parcel');
  let parcel = null;
  let cell = null;
  for (const c of cells.slice(0, 20)) {
    const xs = c.ring.map((p) => p[0]), ys = c.ring.map((p) => p[1]);
    const bbox = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    const within = JSON.stringify({ type: 'Polygon', coordinates: [[[bbox[0], bbox[1]], [bbox[2], bbox[1]], [bbox[2], bbox[3]], [bbox[0], bbox[3]], [bbox[0], bbox[1]]]] });
    const res = await fetch(`${stack.url}/api/v1/assets?kind=land&limit=5&within=${encodeURIComponent(within)}`);
    if (!res.ok) continue;
    const { items } = await res.json();
    if (items.length === 1 && items[0].stage === c.stage) { parcel = items[0]; cell = [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2]; break; }
  }
  assert.ok(parcel, 'found the parcel of a one-parcel cell');
  const editor = await openPage(stack, `#/map?by=stage&a=${parcel.id}`);
  await signIn(editor, 'analyst');
  await editor.locator('#edit-form').waitFor();
  await jump(editor, cell, 11);
  await jump(viewer, cell, 11);
  for (const p of [editor, viewer]) {
    const s = await stageAt(p, cell);
    assert.ok(s && s.count === 1 && s.stage === parcel.stage, `the cell draws the parcel's stage: ${JSON.stringify(s)}`);
  }
  await watchBlank(editor);
  await watchBlank(viewer);
  const to = otherStage(parcel.stage);
  const { t0, patchMs } = await saveStage(editor, to);
  const [editorMs, viewerMs] = await Promise.all([waitStage(editor, cell, to, t0, 5000), waitStage(viewer, cell, to, t0, 10_000)]).catch(async (e) => {
    await shot(editor, 'live-debug-z11.png');
    console.log('overview cell not changed:', parcel.code, to, await stageAt(editor, cell)); // eslint-disable-line no-console
    throw e;
  });
  console.log(`zoom 11 overview: PATCH answered ${await patchMs} ms; editor ${editorMs} ms, second browser ${viewerMs} ms`); // eslint-disable-line no-console
  const pageMs = editorMs - await patchMs;
  assert.ok(pageMs <= 1000, `the editor's overview shows the change ${pageMs} ms after the save's answer (≤ 1 s, whatever the budget)`);
  assert.ok(editorMs <= BUDGET, `the editor's overview shows the change in ${editorMs} ms (≤ ${BUDGET} ms)`);
  assert.ok(viewerMs <= 5000, `a second browser's overview shows the change in ${viewerMs} ms (≤ 5 s)`);
  await Promise.race([waitIdle(editor), editor.waitForTimeout(10_000)]); // a rebuild's version may still be loading
  const blank = await Promise.all([editor, viewer].map((p) => p.evaluate(() => window.__blank)));
  assert.ok(blank.every((b) => b.tiles > 0 && b.frames > 0 && b.empty === 0), `no frame without the overview during the swap: ${JSON.stringify(blank)}`);
  await shot(editor, 'live-03-editor-z11.png');
  await shot(viewer, 'live-04-viewer-z11.png');
  for (const p of [editor, viewer]) await p.context().close();
});

test('a version conflict keeps what the user typed beside the current values, and re-applies it', { timeout: 180_000 }, async () => {
  const { items: [a] } = await api('/api/v1/assets?kind=land&stage=idle&sort=area_mu&limit=1');
  const page = await openPage(stack, `#/map?a=${a.id}`);
  await signIn(page, 'analyst');
  await page.locator('#edit-form').waitFor();
  // The analyst types...
  await page.locator('#edit-stage').selectOption('in_progress');
  await page.locator('#edit-revenue').fill('123.5');
  await page.locator('#edit-responsible_person').fill('张三');
  await page.locator('#edit-note').fill('我的修改说明');
  // ...while the admin changes the same asset.
  const before = await api(`/api/v1/assets/${a.id}`);
  const res = await fetch(`${stack.url}/api/v1/assets/${a.id}`, { method: 'PATCH',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await token('admin')}` },
    body: JSON.stringify({ version: before.version, mode: 'lease', revenue: 50, note: '他人修改' }) });
  assert.equal(res.status, 200, 'the other edit lands');
  await page.waitForTimeout(1500); // the page hears of it: the form must keep what was typed
  assert.equal(await page.locator('#edit-revenue').inputValue(), '123.5', 'a new version does not wipe the form being typed');
  await page.locator('#edit-save').click();
  const box = page.locator('[data-test="conflict"]');
  await box.waitFor({ timeout: 5000 });
  assert.equal(await page.locator('#edit-stage').inputValue(), 'in_progress', 'typed stage kept');
  assert.equal(await page.locator('#edit-revenue').inputValue(), '123.5', 'typed revenue kept');
  assert.equal(await page.locator('#edit-responsible_person').inputValue(), '张三', 'typed person kept');
  assert.equal(await page.locator('#edit-note').inputValue(), '我的修改说明', 'typed note kept');
  const revenueRow = box.locator('tr[data-field="revenue"]');
  assert.match(await revenueRow.locator('[data-test="conflict-mine"]').textContent(), /123\.5/, 'mine shows the typed revenue');
  assert.match(await revenueRow.locator('[data-test="conflict-current"]').textContent(), /50/, 'current shows the other user\'s revenue');
  assert.match(await revenueRow.getAttribute('class'), /changed/, 'revenue is marked as changed by someone else');
  await box.scrollIntoViewIfNeeded();
  await shot(page, 'live-05-conflict.png');
  await page.locator('[data-test="conflict-reapply"]').click();
  await page.locator('[data-test="conflict"]').waitFor({ state: 'detached', timeout: 5000 });
  const after = await api(`/api/v1/assets/${a.id}`);
  assert.equal(after.stage, 'in_progress', 'my stage applied');
  assert.equal(Number(after.revenue), 123.5, 'my revenue applied over theirs');
  assert.equal(after.responsible_person, '张三');
  assert.equal(after.mode, 'lease', 'their mode kept (I did not touch it)');
  assert.equal(after.version, before.version + 2);
  const notes = after.events.map((e) => e.note);
  assert.ok(notes.includes('我的修改说明') && notes.includes('他人修改'), `both notes in the history: ${notes}`);
  await page.context().close();
});
