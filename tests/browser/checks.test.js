// Browser tests of 核查 from a phone (issue 12): with the device's position emulated, the 核查 tab
// of the phone's bottom bar lists the assets around it nearest first — the same list as the API,
// the asset the device stands on first — and a check with a photo goes in; from a position far
// from the asset the check is flagged and the form says how far; on a laptop the asset panel
// lists the asset's checks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, openPage, shot, DEMO_PASSWORD, noProblems, signIn } from './harness.js';

let stack;
let spot; // { id, code, lon, lat }: a land parcel and a point on it

const PHONE = { width: 390, height: 844 };
// A 1×1 PNG: what the camera input is given.
const PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==', 'base64');

async function call(method, path, token, body) {
  const res = await fetch(stack.url + path, { method, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: await res.json().catch(() => null) };
}

const near = async (lon, lat) => (await call('GET', `/api/v1/assets/near?lon=${lon}&lat=${lat}&radius=500`)).body.assets;

before(async () => {
  stack = await startStack();
  const { body } = await call('GET', '/api/v1/assets?kind=land&limit=200&format=geojson&geometry=center&properties=id,code');
  // A parcel whose surface point has it nearest (distance 0): the device stands on it.
  for (const f of body.features) {
    const [lon, lat] = f.geometry.coordinates;
    const list = await near(lon, lat);
    if (list[0]?.id === f.id && list[0].distance_m === 0 && list.length >= 2) { spot = { id: f.id, code: f.properties.code, lon, lat }; break; }
  }
  assert.ok(spot, 'no land parcel to stand on');
});
after(async () => { await stack?.stop(); });

/** nearList reads the 附近资产 list the tab shows: asset ids in order. */
const nearList = (page) => page.locator('[data-test="near-list"] [data-asset]').evaluateAll((els) => els.map((e) => Number(e.dataset.asset)));

async function locate(page) {
  await page.locator('#tab-checks').click();
  await page.locator('#chk-locate').click();
  await page.locator('[data-test="near-list"]').waitFor();
}

test('phone: near me lists the asset under the device first, as the API does; a check with a photo goes in', async () => {
  const page = await openPage(stack, '#/map', PHONE, { geolocation: { longitude: spot.lon, latitude: spot.lat, accuracy: 12 }, permissions: ['geolocation'] });
  await signIn(page, 'analyst');
  await shot(page, 'checks-phone-bar.png');
  await locate(page);
  const api = await near(spot.lon, spot.lat);
  assert.deepEqual(await nearList(page), api.map((a) => a.id), 'the list is the API\'s, nearest first');
  assert.equal(api[0].id, spot.id);
  await shot(page, 'checks-phone-near.png');
  await page.locator(`[data-asset="${spot.id}"]`).click();
  await page.locator('.chk-radio', { hasText: '不一致' }).click();
  await page.locator('#chk-note').fill('现场为临时停车场，与台账不符');
  await page.locator('#chk-photo').setInputFiles({ name: 'IMG_0001.png', mimeType: 'image/png', buffer: PHOTO });
  await page.locator('#chk-submit').click();
  await page.locator('[data-test="check-done"]').waitFor();
  assert.equal(await page.locator('[data-test="check-flag"]').count(), 0, 'a check on the spot is not flagged');
  await shot(page, 'checks-phone-done.png');
  const { checks } = (await call('GET', `/api/v1/assets/${spot.id}/checks`)).body;
  assert.equal(checks.length, 1);
  assert.equal(checks[0].result, 'inconsistent');
  assert.equal(checks[0].photo_count, 1);
  assert.equal(checks[0].distance_m, 0);
  assert.equal(checks[0].actor, 'analyst');
  noProblems(page);
  await page.context().close();
});

test('phone: a check from far away is flagged with its distance', async () => {
  // 300-odd metres east of the spot: an asset listed between 200 and 500 m away.
  let far;
  for (const dx of [0.003, 0.004, -0.003, -0.004]) {
    const list = await near(spot.lon + dx, spot.lat);
    const a = list.find((x) => x.id !== spot.id && x.distance_m > 220 && x.distance_m < 480);
    if (a) { far = { lon: spot.lon + dx, lat: spot.lat, asset: a }; break; }
  }
  assert.ok(far, 'no asset 200–500 m from a position near the spot');
  const page = await openPage(stack, '#/map', PHONE, { geolocation: { longitude: far.lon, latitude: far.lat, accuracy: 15 }, permissions: ['geolocation'] });
  await signIn(page, 'analyst');
  await locate(page);
  await page.locator(`[data-asset="${far.asset.id}"]`).click();
  await page.locator('#chk-submit').click();
  const flag = page.locator('[data-test="check-flag"]');
  await flag.waitFor();
  const m = Number((await flag.textContent()).match(/距离资产 ([\d,]+) 米/)[1].replace(/,/g, ''));
  assert.ok(Math.abs(m - far.asset.distance_m) <= 1, `flag says ${m} m, the API ${far.asset.distance_m} m`);
  await shot(page, 'checks-phone-flagged.png');
  const { checks } = (await call('GET', `/api/v1/checks?flagged=true`)).body;
  assert.equal(checks[0].asset_id, far.asset.id);
  noProblems(page);
  await page.context().close();
});

test('laptop: the asset panel lists its checks; the 核查点 layer draws them', async () => {
  const page = await openPage(stack, `#/map?a=${spot.id}`, { width: 1366, height: 768 });
  const item = page.locator('[data-test="asset-checks"] .chk-item');
  await item.first().waitFor();
  assert.equal(await item.count(), 1);
  assert.match(await item.first().textContent(), /不一致/);
  await page.locator('[data-test="asset-checks"]').scrollIntoViewIfNeeded();
  await shot(page, 'checks-laptop-panel.png');
  await page.locator('#tab-checks').click();
  await page.waitForFunction(() => Boolean(window.__map.getLayer('checks-points')));
  await page.evaluate(([lon, lat]) => window.__map.jumpTo({ center: [lon, lat], zoom: 15 }), [spot.lon, spot.lat]);
  await page.waitForFunction(() => window.__map.queryRenderedFeatures({ layers: ['checks-points'] }).length >= 1);
  await shot(page, 'checks-laptop-layer.png');
  // Five tabs, in either language, stay on one line within the sidebar.
  for (const lang of ['zh', 'en']) {
    if (lang === 'en') await page.locator('#lang').click();
    const fit = await page.locator('.tabs').evaluate((el) => ({ fits: el.scrollWidth <= el.clientWidth,
      lines: [...el.querySelectorAll('[role="tab"]')].filter((b) => b.getBoundingClientRect().height > 56).map((b) => b.textContent) }));
    assert.deepEqual(fit, { fits: true, lines: [] }, `${lang}: the tabs fit on one line`);
  }
  await shot(page, 'checks-laptop-en.png');
  noProblems(page);
  await page.context().close();
});
