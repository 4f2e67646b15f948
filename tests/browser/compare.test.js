// Browser test of 历史对比 (issue 13 item 9): an analyst changes a parcel's stage; the map at a
// time before the edit shows the parcel with its old stage — the rendered feature's property
// equals GET /api/v1/assets/{id}?at= — while today's map shows the new one; the changes of the
// month list it first, and its row opens the asset. Swipe and side by side at zoom 16 and 11,
// 1600×1000, 1366×768 and 390×844.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, openPage, shot, noProblems, signIn, waitIdle } from './harness.js';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { await stack?.stop(); });

const CST = 8 * 3600e3;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** edited signs in as analyst, picks an idle land parcel and sets it 已盘活 after a moment T it returns. */
async function edited(page) {
  await signIn(page, 'analyst');
  const a = await page.evaluate(async () => (await (await fetch('/api/v1/assets?kind=land&stage=idle&limit=1&sort=-area_mu')).json()).items[0]);
  const before = Math.floor(Date.now() / 1000) * 1000; // whole seconds: the time picker's step
  await sleep(1500);
  const st = await page.evaluate(async ({ id, version }) => (await fetch(`/api/v1/assets/${id}`, {
    method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ version, stage: 'done', note: '历史对比测试' }) })).status, a);
  assert.equal(st, 200, 'PATCH stage');
  const iso = new Date(before + CST).toISOString();
  return { a, date: iso.slice(0, 10), time: iso.slice(11, 19), at: `${iso.slice(0, 19)}+08:00` };
}

/** openCompare opens the tool and sets the past time. */
async function openCompare(page, { date, time, at }) {
  await page.locator('[data-tool="compare"]').click();
  await page.locator('#cmp-panel:not([hidden])').waitFor();
  await page.locator('#cmp-date').fill(date);
  await page.locator('#cmp-time').fill(time);
  await page.locator('#cmp-time').dispatchEvent('change');
  await page.locator(`#cmp-map[data-at="${at}"]`).waitFor({ state: 'attached' }).catch(async (err) => {
    err.message += ` (shown: ${await page.evaluate(() => [document.querySelector('#cmp-map')?.dataset.at, document.querySelector('#cmp-time').value, window.__compareMap?.loaded()].join(' '))})`;
    throw err;
  }); // its tiles are those of T
}

/**
 * isoFields checks that the fields show the past time as typed ISO text (2026-12-02, 22:06:56), in
 * 中文 and in English, not the browser locale's 12/02/2026 10:06:56 PM, and refuse that US form.
 */
async function isoFields(page, { date, time, at }) {
  const shown = () => page.$$eval('#cmp-panel input[data-form]', (xs) => xs.map((x) => `${x.type} ${x.value}`));
  for (const lang of ['zh', 'en']) {
    const [d, tm, from, to] = await shown();
    assert.deepEqual([d, tm], [`text ${date}`, `text ${time}`], `${lang}: the past date and time as ISO text`);
    for (const m of [from, to]) assert.match(m, /^text \d{4}-\d{2}$/, `${lang}: a month as YYYY-MM`);
    await page.locator('#lang').click();
  }
  await page.locator('#cmp-date').fill('12/02/2026');
  await page.locator('#cmp-date').dispatchEvent('change');
  assert.equal(await page.locator('#cmp-date').getAttribute('aria-invalid'), 'true', 'a US-form date is refused');
  assert.equal(await page.locator('#cmp-map').getAttribute('data-at'), at, 'the past map stays at T');
  await page.locator('#cmp-date').fill(date);
  await page.locator('#cmp-date').dispatchEvent('change');
  assert.equal(await page.locator('#cmp-date').getAttribute('aria-invalid'), 'false');
}

/** pastStage is the stage of asset id in the past map's tiles once they hold it (rendered: drawn on screen). */
async function pastStage(page, id, rendered) {
  const fn = ({ id: want, rendered: drawn }) => {
    const m = window.__compareMap;
    if (!m || !m.loaded()) return null;
    const fs = drawn ? m.queryRenderedFeatures({ layers: ['land-fill'] }) : m.querySourceFeatures('onemap', { sourceLayer: 'land' });
    return fs.find((f) => Number(f.properties.id) === want)?.properties.stage ?? null;
  };
  const h = await page.waitForFunction(fn, { id, rendered }, { timeout: 20_000 });
  return h.jsonValue();
}

/** settled waits until both maps have drawn what they were asked (a screenshot mid-render shows half a map). */
async function settled(page) {
  await waitIdle(page);
  await page.evaluate(() => new Promise((r) => {
    const m = window.__compareMap;
    const check = () => (!m || (m.loaded() && m.areTilesLoaded()) ? r() : m.once('idle', check));
    check();
  }));
}

const nowStage = (page, id) => page.evaluate((want) => window.__map.queryRenderedFeatures({ layers: ['land-fill'] })
  .find((f) => Number(f.properties.id) === want)?.properties.stage ?? null, id);

test('compare dates: the past map shows a parcel\'s old stage; the month\'s changes list it', async () => {
  const page = await openPage(stack, '#/map?by=stage', { width: 1600, height: 1000 });
  const e = await edited(page);
  const api = await page.evaluate(async ({ id, at }) => (await (await fetch(`/api/v1/assets/${id}?at=${encodeURIComponent(at)}`)).json()).stage, { id: e.a.id, at: e.at });
  assert.equal(api, 'idle', 'the API at T tells the old stage');
  await page.evaluate((c) => window.__map.jumpTo({ center: c, zoom: 16 }), e.a.center);
  await waitIdle(page);
  await openCompare(page, e);
  await isoFields(page, e);
  assert.equal(await pastStage(page, e.a.id, true), api, 'zoom 16: the past map draws the parcel with the API\'s stage at T');
  await page.waitForFunction((id) => window.__map.queryRenderedFeatures({ layers: ['land-fill'] }).some((f) => Number(f.properties.id) === id), e.a.id);
  assert.equal(await nowStage(page, e.a.id), 'done', 'today\'s map has the new stage');
  await settled(page);
  await shot(page, 'compare-swipe-z16-1600.png');

  // the changes of this month: the demo city was loaded this month, so the parcel is new in it
  await page.locator('#cmp-go').click();
  const row = page.locator(`#cmp-list li[data-asset="${e.a.id}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /新增/);
  // since the past time: its stage changed, the newest change first
  await page.locator('#cmp-since').click();
  await page.waitForFunction((id) => /未盘活 → 已盘活/.test(document.querySelector(`#cmp-list li[data-asset="${id}"]`)?.innerText || ''), e.a.id);
  assert.equal(await page.locator('#cmp-list li').first().getAttribute('data-asset'), String(e.a.id), 'newest change first');
  await page.waitForFunction(() => window.__compareMap.getSource('compare-changes') && window.__map.getSource('compare-changes'));
  await settled(page);
  await shot(page, 'compare-changes-z16-1600.png');

  // zoom 11: the past map draws parcels (not the overview), still with the old stage
  await page.evaluate((c) => window.__map.jumpTo({ center: c, zoom: 11 }), e.a.center);
  await waitIdle(page);
  assert.equal(await pastStage(page, e.a.id, false), 'idle', 'zoom 11: the past tiles hold the parcel, idle');
  await settled(page);
  await shot(page, 'compare-swipe-z11-1600.png');

  // side by side: the past on the left half, the same place as the right half
  await page.locator('input[name="cmp-mode"][value="side"]').check();
  await settled(page);
  const centres = await page.evaluate(() => {
    const m = window.__map;
    const r = m.getContainer().getBoundingClientRect();
    return { past: window.__compareMap.getCenter().toArray(), right: m.unproject([r.width * 0.75, r.height / 2]).toArray() };
  });
  assert.ok(Math.abs(centres.past[0] - centres.right[0]) < 1e-3 && Math.abs(centres.past[1] - centres.right[1]) < 1e-3,
    `both halves show one place: ${JSON.stringify(centres)}`);
  await shot(page, 'compare-side-z11-1600.png');

  // a row opens the asset
  await row.locator('.cmp-item').click();
  await page.locator('#panel:not([hidden])').waitFor();
  await page.locator('[data-tool="compare"]').click();
  assert.equal(await page.locator('#cmp-map').count(), 0, 'closing removes the past map');
  noProblems(page);
  await page.context().close();
});

for (const viewport of [{ width: 1366, height: 768 }, { width: 390, height: 844 }]) {
  test(`compare dates at ${viewport.width}×${viewport.height}`, async () => {
    const page = await openPage(stack, '#/map?by=stage', viewport);
    const e = await edited(page);
    await page.evaluate((c) => window.__map.jumpTo({ center: c, zoom: 16 }), e.a.center);
    await waitIdle(page);
    await openCompare(page, e);
    assert.equal(await pastStage(page, e.a.id, false), 'idle');
    await page.locator('#cmp-since').click();
    await page.locator(`#cmp-list li[data-asset="${e.a.id}"]`).waitFor();
    const box = await page.locator('#cmp-panel').boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= viewport.width + 1 && box.y >= 0, `panel within the screen: ${JSON.stringify(box)}`);
    await settled(page);
    await shot(page, `compare-swipe-z16-${viewport.width}.png`);
    await page.evaluate((c) => window.__map.jumpTo({ center: c, zoom: 11 }), e.a.center);
    await waitIdle(page);
    assert.equal(await pastStage(page, e.a.id, false), 'idle');
    await settled(page);
    await shot(page, `compare-swipe-z11-${viewport.width}.png`);
    noProblems(page);
    await page.context().close();
  });
}
