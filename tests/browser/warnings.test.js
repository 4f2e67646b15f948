// Browser tests of 预警 (issue 11, item 5): the top bar's badge shows the API's total for the
// user's scope; its list opens grouped by kind (dated kinds in 30/60/90-day bands); a row flies to
// its asset and opens it; the 预警 layer draws as many warned assets in view as
// /api/v1/warnings/geojson has there; an analyst adds a lease term in the asset panel — at
// 1366×768 and 390×844. Screenshots: artifacts/warnings-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, openPage, waitIdle, shot, noProblems, signIn } from './harness.js';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { await stack?.stop(); });

const api = async (path) => {
  const res = await fetch(stack.url + path);
  assert.equal(res.status, 200, `GET ${path}`);
  return res.json();
};

const VIEWS = [['1366', { width: 1366, height: 768 }], ['390', { width: 390, height: 844 }]];
const digits = (s) => Number(String(s).replace(/[^\d]/g, ''));

/** badge waits for the badge's count and returns it. */
async function badge(page) {
  await page.waitForFunction(() => /\d/.test(document.querySelector('[data-test="warn-count"]')?.textContent || ''));
  return digits(await page.locator('[data-test="warn-count"]').textContent());
}

/** inView counts the distinct (warning, asset) points of features lying inside the map's view. */
const inView = (page, features) => page.evaluate((fs) => {
  const b = window.__map.getBounds();
  const keys = new Set();
  for (const f of fs) {
    const [x, y] = f.geometry.coordinates;
    if (b.contains([x, y])) keys.add(`${f.properties.id}-${f.properties.asset_id}`);
  }
  return keys.size;
}, features);

/** drawn is the same count over what the 预警 layer has drawn. */
const drawn = (page) => page.evaluate(() => {
  const m = window.__map;
  const b = m.getBounds();
  const keys = new Set();
  for (const f of m.queryRenderedFeatures({ layers: ['warnings-point'] })) {
    if (b.contains(f.geometry.coordinates)) keys.add(`${f.properties.id}-${f.properties.asset_id}`);
  }
  return keys.size;
});

for (const [name, viewport] of VIEWS) {
  test(`${name}: badge = API total, the list by kind, a row flies to its asset, the layer matches the API`, { timeout: 180_000 }, async () => {
    const page = await openPage(stack, '', viewport);
    const all = await api('/api/v1/warnings?limit=1');
    assert.ok(all.total > 0, 'the demo city has warnings');
    assert.equal(await badge(page), all.total, 'the badge shows the API total');
    await shot(page, `warnings-01-badge-${name}.png`);
    const btn = await page.locator('#warnings-btn').boundingBox();
    assert.ok(btn.x >= 0 && btn.x + btn.width <= viewport.width, `the badge lies inside the window: ${JSON.stringify(btn)}`);

    await page.locator('#warnings-btn').click();
    await page.locator('#warnings-list').waitFor();
    const kinds = Object.entries(all.counts).filter(([, n]) => n > 0).map(([k]) => k);
    assert.equal(await page.locator('.warn-group').count(), kinds.length, 'one group per kind with warnings');
    // A dated kind with land in it: its rows come in bands.
    const kind = ['land_fee_due', 'land_recovery', 'licence_expiring', 'building_vacant'].find((k) => all.counts[k] > 0);
    await page.locator(`.warn-group[data-kind="${kind}"] summary`).click();
    await page.locator(`.warn-group[data-kind="${kind}"] [data-test="warn-row"]`).first().waitFor();
    assert.ok(await page.locator(`.warn-group[data-kind="${kind}"] .warn-band`).count() >= 1, 'dated rows under a band');
    await shot(page, `warnings-02-list-${name}.png`);

    const row = page.locator(`.warn-group[data-kind="${kind}"] [data-test="warn-row"]`).first();
    const assetId = Number(await row.getAttribute('data-asset'));
    await row.click();
    await page.locator('[data-test="asset-code"]').waitFor();
    await waitIdle(page);
    const asset = await api(`/api/v1/assets/${assetId}`);
    assert.equal(await page.locator('[data-test="asset-code"]').textContent(), asset.code, 'the row opens its asset');
    const flown = await page.evaluate(() => window.__map.getZoom());
    assert.ok(flown >= 13, `the map flew to the asset (zoom ${flown})`);
    await shot(page, `warnings-03-row-flies-${name}.png`);

    // The layer, over the whole city.
    await page.evaluate(() => document.querySelector('#lyr-warnings').click());
    await page.waitForFunction(() => window.__map.getLayer('warnings-point'));
    await page.evaluate(() => { document.querySelector('#panel .icon-btn')?.click(); document.querySelector('#warnings-list .icon-btn')?.click(); });
    await page.evaluate(() => window.__map.jumpTo({ center: [114.3, 29.8], zoom: 10 }));
    await waitIdle(page);
    const fc = await api('/api/v1/warnings/geojson');
    const want = await inView(page, fc.features);
    assert.ok(want > 0, 'warned assets in view');
    assert.equal(await drawn(page), want, 'the layer draws every warned asset in view');
    await shot(page, `warnings-04-layer-${name}.png`);
    // Zoomed in, the same holds.
    const p = fc.features[0].geometry.coordinates;
    await page.evaluate((c) => window.__map.jumpTo({ center: c, zoom: 14 }), p);
    await waitIdle(page);
    assert.equal(await drawn(page), await inView(page, fc.features), 'zoom 14: the layer matches the API');
    noProblems(page);
    await page.context().close();
  });
}

test('1366: an analyst adds a lease term in the asset panel, the badge counts it at once, and removes it', { timeout: 180_000 }, async () => {
  const { features } = await api('/api/v1/assets?kind=building&limit=1&format=geojson');
  const id = features[0].id ?? features[0].properties.id;
  const page = await openPage(stack, `#/map?a=${id}`, { width: 1366, height: 768 });
  await signIn(page, 'analyst');
  // The badge leaves the signed-in top bar room: no route or label breaks onto a second line.
  const wrapped = await page.evaluate(() => [...document.querySelectorAll('.topbar .route-btn, .basemap-pick > span, #warnings-btn')]
    .filter((e) => {
      const r = document.createRange();
      r.selectNodeContents(e);
      return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size > 1;
    })
    .map((e) => e.textContent));
  await shot(page, 'warnings-05a-signed-in-topbar-1366.png');
  assert.deepEqual(wrapped, [], 'top-bar items on two lines');
  const tools = await page.evaluate(() => [...document.querySelectorAll('.topbar button, .topbar select')]
    .map((e) => e.getBoundingClientRect()).filter((r) => r.width && r.right > window.innerWidth + 0.5).length);
  assert.equal(tools, 0, 'every top-bar control lies inside the window');
  await page.locator('[data-test="leases"]').waitFor();
  const before = await badge(page);
  const soon = new Date(Date.now() + 20 * 86400e3).toISOString().slice(0, 10);
  await page.locator('.lease-add summary').click();
  await page.locator('#lease-tenant').fill('咸宁某物业公司');
  await page.locator('#lease-start_date').fill('2024-01-01');
  await page.locator('#lease-end_date').fill('2023-12-31');
  await page.locator('#lease-form button[type="submit"]').click();
  await page.locator('#lease-form .error').waitFor();
  assert.match(await page.locator('#lease-form .error').textContent(), /到期日期/, 'the form names the end date');
  await page.locator('#lease-end_date').fill(soon);
  await page.locator('#lease-annual_rent').fill('36.5');
  await page.locator('#lease-form button[type="submit"]').click();
  await page.locator('.lease-row').first().waitFor();
  assert.match(await page.locator('.lease-row').first().textContent(), /咸宁某物业公司/);
  await page.locator('.lease-row').first().scrollIntoViewIfNeeded();
  await shot(page, 'warnings-05-lease-1366.png');
  const { leases } = await api(`/api/v1/assets/${id}/leases`);
  assert.equal(leases.length, 1);
  assert.equal(leases[0].annual_rent, 36.5);
  // Running out in 20 days: the evaluation after the write opens a warning, and the event stream
  // brings the badge its new count without a reload.
  const t0 = Date.now();
  await page.waitForFunction((n) => Number(document.querySelector('[data-test="warn-count"]').textContent.replace(/\D/g, '')) === n,
    before + 1, { timeout: 15_000 });
  console.error(`[warnings] badge counted the new lease after ${Date.now() - t0} ms`); // eslint-disable-line no-console
  await page.locator('.lease-row .btn').first().click();
  await page.waitForFunction(() => !document.querySelector('.lease-row'));
  assert.equal((await api(`/api/v1/assets/${id}/leases`)).leases.length, 0);
  await page.waitForFunction((n) => Number(document.querySelector('[data-test="warn-count"]').textContent.replace(/\D/g, '')) === n,
    before, { timeout: 15_000 });
  page.problems = page.problems.filter((p) => !/422/.test(p)); // the refused end date, on purpose
  noProblems(page);
  await page.context().close();
});

test('390: signed in, the badge still shows its count and the top bar its controls', { timeout: 120_000 }, async () => {
  const page = await openPage(stack, '', { width: 390, height: 844 });
  await signIn(page, 'analyst');
  const all = await (await fetch(`${stack.url}/api/v1/warnings?limit=1`)).json();
  assert.ok(await badge(page) <= all.total, 'a scoped user sees at most every warning');
  // The badge floats over the map here: the top bar keeps its controls inside the window.
  const out = await page.evaluate(() => [...document.querySelectorAll('.topbar button, .topbar select, #warnings-btn')]
    .filter((e) => { const r = e.getBoundingClientRect(); return r.width && (r.left < -0.5 || r.right > window.innerWidth + 0.5); })
    .map((e) => e.textContent));
  assert.deepEqual(out, [], 'controls outside a 390 px window');
  await shot(page, 'warnings-06-signed-in-390.png');
  noProblems(page);
  await page.context().close();
});
