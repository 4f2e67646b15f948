// Browser tests of 测距/测面, 定位 and the pointer readout (issue 13, items 1 and 4), at 1600×1000,
// 1366×768 and 390×844 (定位 and the readout share one page per size):
// - a 0.01° × 0.01° forest square is added near 29.9°N; clicks 2 px off its corners snap to them,
//   and the length of two sides and the area come within 0.1 % of the ellipsoid's values computed
//   here by numerical integration (independent of the tool's own formulas);
// - 定位 by Gauss-Krüger coordinates (8-digit easting with its zone, and 6-digit with the zone
//   chosen) lands within 1 m of the CGCS2000 point PostGIS projected them from; 度分秒 and an
//   asset code land too;
// - the pointer readout shows the lon/lat under the cursor, and its zone X/Y goes back through the
//   server's /transform to within 1 m of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startStack, openPage, waitIdle, shot, noProblems, DEMO_PASSWORD } from './harness.js';

let stack;
const SQUARE = { lon: 114.26, lat: 29.9, d: 0.01 };

const sql = (q) => execFileSync('psql', ['-qAt', '-v', 'ON_ERROR_STOP=1', stack.dbURL, '-c', q], { encoding: 'utf8' }).trim();

async function call(method, path, token, body) {
  const res = await fetch(stack.url + path, { method, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: await res.json().catch(() => null) };
}

before(async () => {
  stack = await startStack();
  const { body: { token } } = await call('POST', '/api/v1/login', null, { username: 'analyst', password: DEMO_PASSWORD });
  const { lon, lat, d } = SQUARE;
  const ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]];
  const res = await call('POST', '/api/v1/assets', token, { type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] },
    properties: { code: 'MEASURE-SQ', kind: 'forest', name: '量算方块', holder: '测试单位' } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
});
after(async () => { await stack?.stop(); });

// CGCS2000 ellipsoid and reference values by Simpson's rule: meridian arc ∫M dφ, parallel N cosφ Δλ,
// quadrangle area Δλ ∫ M N cosφ dφ.
const A = 6378137;
const E2 = (1 / 298.257222101) * (2 - 1 / 298.257222101);
const RAD = Math.PI / 180;
const M = (p) => (A * (1 - E2)) / (1 - E2 * Math.sin(p) ** 2) ** 1.5;
const N = (p) => A / Math.sqrt(1 - E2 * Math.sin(p) ** 2);
function simpson(f, a, b, n = 1000) {
  const hh = (b - a) / n;
  let s = f(a) + f(b);
  for (let i = 1; i < n; i++) s += f(a + i * hh) * (i % 2 ? 4 : 2);
  return (s * hh) / 3;
}
const meridian = (lat1, lat2) => simpson(M, lat1 * RAD, lat2 * RAD);
const parallel = (lat, dlon) => N(lat * RAD) * Math.cos(lat * RAD) * dlon * RAD;
const quadArea = (lat1, lat2, dlon) => dlon * RAD * simpson((p) => M(p) * N(p) * Math.cos(p), lat1 * RAD, lat2 * RAD);
/** metres between two lon/lat points (local plane: fine for a metre's check). */
const apart = (a, b) => Math.hypot((a[0] - b[0]) * RAD * N(a[1] * RAD) * Math.cos(a[1] * RAD), (a[1] - b[1]) * RAD * M(a[1] * RAD));

const SIZES = [{ width: 1600, height: 1000 }, { width: 1366, height: 768 }, { width: 390, height: 844 }];

/** clickAt clicks the map 2 px south-west/north-east of a corner (outside the square): snapping must pull it in. */
async function clickAt(page, lonlat, off) {
  const box = await page.locator('#map').boundingBox();
  const p = await page.evaluate((c) => window.__map.project(c), lonlat);
  await page.mouse.move(box.x + p.x + off[0], box.y + p.y + off[1]);
  await page.mouse.click(box.x + p.x + off[0], box.y + p.y + off[1]);
  await page.waitForTimeout(120); // two clicks apart are not a double click
}

for (const size of SIZES) {
  test(`measure: the square's sides and area within 0.1 % at ${size.width}×${size.height}`, async () => {
    const page = await openPage(stack, '', size);
    const { lon, lat, d } = SQUARE;
    // On a phone the square sits low, clear of the controls and the choropleth box at the top.
    const [zoom, padding] = size.width < 500 ? [14, { top: 60 }] : [15, {}];
    await page.evaluate(({ c, zoom, padding }) => window.__map.jumpTo({ center: c, zoom, padding }), { c: [lon + d / 2, lat + d / 2], zoom, padding });
    await waitIdle(page);
    await page.waitForFunction(() => window.__map.queryRenderedFeatures({ layers: ['forest-fill'] }).some((f) => f.properties.code === 'MEASURE-SQ'
      || f.properties.name === '量算方块'), null, { timeout: 20_000 }).catch(() => {});
    const [sw, se, ne, nw] = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d]];

    await page.locator('[data-test="measure-line"]').click();
    await clickAt(page, sw, [-2, 2]);
    await clickAt(page, se, [2, 2]);
    await clickAt(page, ne, [2, -2]);
    await shot(page, `measure-line-${size.width}.png`);
    await page.locator('[data-test="measure-done"]').click();
    const lengthM = Number(await page.locator('[data-test="measure-label"][data-mode="line"]').getAttribute('data-length-m'));
    const wantLength = parallel(lat, d) + meridian(lat, lat + d);
    assert.ok(Math.abs(lengthM / wantLength - 1) < 0.001, `length ${lengthM} m, want ${wantLength} m`);

    await page.locator('[data-test="measure-area"]').click();
    await page.locator('[data-test="measure-area"][aria-pressed="true"]').waitFor({ timeout: 5000 }).catch(async (e) => {
      const info = await page.evaluate(() => ({ html: document.querySelector('.map-tools')?.outerHTML, bar: document.querySelector('.measure-bar')?.outerHTML }));
      throw new Error(`${e.message}\n${JSON.stringify(info)}\n${page.problems.join('\n')}`);
    });
    for (const [c, off] of [[sw, [-2, 2]], [se, [2, 2]], [ne, [2, -2]], [nw, [-2, -2]]]) await clickAt(page, c, off);
    await clickAt(page, sw, [-2, 2]); // on the first vertex: closes the area
    await shot(page, `measure-area-${size.width}.png`);
    const label = page.locator('[data-test="measure-label"][data-mode="area"]');
    await label.waitFor();
    const areaM2 = Number(await label.getAttribute('data-area-m2'));
    const wantArea = quadArea(lat, lat + d, d);
    assert.ok(Math.abs(areaM2 / wantArea - 1) < 0.001, `area ${areaM2} m², want ${wantArea} m²`);
    const text = await label.textContent();
    assert.match(text, /平方米 · [\d,.]+ 亩 · [\d,.]+ 公顷/);
    const mu = Number(text.split(' · ')[1].replace(/[^\d.]/g, ''));
    assert.ok(Math.abs(mu / (wantArea / (10000 / 15)) - 1) < 0.001, `亩 ${mu}`);
    console.log(`# ${size.width}: length ${lengthM.toFixed(3)} m vs ${wantLength.toFixed(3)} (${((lengthM / wantLength - 1) * 100).toFixed(4)} %),`
      + ` area ${areaM2.toFixed(1)} m² vs ${wantArea.toFixed(1)} (${((areaM2 / wantArea - 1) * 100).toFixed(4)} %)`);
    await page.waitForTimeout(400);
    await shot(page, `measure-${size.width}.png`);
    // Results stay until cleared.
    assert.equal(await page.locator('[data-test="measure-label"]').count(), 2);
    await page.locator('[data-test="measure-clear"]').click();
    assert.equal(await page.locator('[data-test="measure-label"]').count(), 0);
    noProblems(page);
    await page.context().close();
  });
}

for (const size of SIZES) {
  test(`locate: GK, 度分秒 and an asset code land where they should, then the readout, at ${size.width}×${size.height}`, async () => {
    const page = await openPage(stack, '', size);
    const known = [114.3201, 29.8417];
    const [east, north] = sql(`SELECT ST_X(p) || '|' || ST_Y(p) FROM ST_Transform(ST_SetSRID(ST_MakePoint(${known[0]}, ${known[1]}), 4490), 4526) p`).split('|').map(Number);
    const markerAt = async () => {
      const m = page.locator('[data-test="locate-marker"]');
      await m.waitFor();
      return [Number(await m.getAttribute('data-lon')), Number(await m.getAttribute('data-lat'))];
    };
    const locate = async (text, zone) => {
      await page.locator('[data-test="locate-input"]').fill(text);
      if (zone) await page.locator('[data-test="locate-zone"]').selectOption(String(zone));
      await page.locator('[data-test="locate-input"]').press('Enter');
    };
    await page.locator('[data-test="locate-open"]').click();
    // 8-digit easting: its zone (38) is in it.
    await locate(`X ${north.toFixed(3)} Y ${east.toFixed(3)}`);
    let at = await page.waitForFunction((k) => {
      const m = document.querySelector('[data-test="locate-marker"]');
      return m && Math.abs(Number(m.dataset.lon) - k[0]) < 1e-4 ? [Number(m.dataset.lon), Number(m.dataset.lat)] : null;
    }, known, { timeout: 15_000 }).then((hd) => hd.jsonValue());
    assert.ok(apart(at, known) < 1, `GK (prefixed) landed ${apart(at, known)} m away`);
    await waitIdle(page);
    await shot(page, `locate-${size.width}.png`);
    // 6-digit easting: zone 38 chosen beside the box.
    await page.locator('[data-test="locate-clear"]').click();
    await locate(`${(east - 38e6).toFixed(3)}, ${north.toFixed(3)}`, 38);
    at = await markerAt();
    assert.ok(apart(at, known) < 1, `GK (zone chosen) landed ${apart(at, known)} m away`);
    // 度分秒
    await page.locator('[data-test="locate-clear"]').click();
    await locate('114°19\'12.5"E 29°50\'30"N');
    at = await markerAt();
    assert.ok(apart(at, [114 + 19 / 60 + 12.5 / 3600, 29 + 50 / 60 + 30 / 3600]) < 0.01, `DMS landed at ${at}`);
    // An asset code: the marker stands on the asset's surface point.
    await page.locator('[data-test="locate-clear"]').click();
    await locate('MEASURE-SQ');
    at = await markerAt();
    assert.ok(at[0] > SQUARE.lon && at[0] < SQUARE.lon + SQUARE.d && at[1] > SQUARE.lat && at[1] < SQUARE.lat + SQUARE.d, `asset code landed at ${at}`);
    // Text that is no coordinate and no name says so, and does not fail.
    await page.locator('[data-test="locate-clear"]').click();
    await locate('没有这个地方');
    await page.locator('.toast', { hasText: '没有找到' }).waitFor();
    await page.locator('.locate-close').click(); // the box closed: the pointer goes back to the map
    await readout(page, size);
    noProblems(page);
    await page.context().close();
  });
}

/** readout checks the lon/lat under the cursor, and its GK X/Y back through /transform within 1 m (then, at 1366, in English). */
async function readout(page, size) {
  const closePanel = page.locator('#panel button[aria-label="关闭"]'); // the located asset's panel (a sheet on a phone)
  if (await closePanel.isVisible()) await closePanel.click();
  await page.evaluate(() => window.__map.jumpTo({ center: [114.32, 29.84], zoom: 14 }));
  await waitIdle(page);
  const box = await page.locator('#map').boundingBox();
  const px = [Math.round(box.width * 0.6), Math.round(box.height * 0.4)];
  await page.mouse.move(box.x + px[0], box.y + px[1]);
  const r = page.locator('[data-test="coord-readout"]');
  await page.waitForFunction((p) => { // the readout follows the pointer (it showed the centre before)
    const d = document.querySelector('[data-test="coord-readout"]')?.dataset;
    const u = window.__map.unproject(p);
    return d?.lon && Math.abs(d.lon - u.lng) < 1e-5 && Math.abs(d.lat - u.lat) < 1e-5;
  }, px);
  const data = await r.evaluate((el) => ({ ...el.dataset }));
  const under = await page.evaluate((p) => window.__map.unproject(p).toArray(), px);
  assert.ok(apart([Number(data.lon), Number(data.lat)], under) < 0.5, `readout ${data.lon}, ${data.lat} vs cursor ${under}`);
  assert.equal(Number(data.zone), 38);
  const text = await r.textContent();
  assert.match(text, /CGCS2000 114\.\d{6}°E 29\.\d{6}°N/);
  assert.match(text, /38带 X \d{7}\.\d\d Y 38\d{6}\.\d\d/);
  const back = await call('GET', `/api/v1/transform?x=${data.y}&y=${data.x}&crs=EPSG:${4513 + Number(data.zone) - 25}`);
  assert.equal(back.status, 200);
  const off = apart([back.body.lon, back.body.lat], [Number(data.lon), Number(data.lat)]);
  console.log(`# readout X/Y back through /transform: ${off.toFixed(4)} m`);
  assert.ok(off < 1, `server puts X/Y ${apart([back.body.lon, back.body.lat], [Number(data.lon), Number(data.lat)])} m away`);
  await shot(page, `readout-${size.width}.png`);
  if (size.width !== 1366) return;
  // English: the tool row and the box speak it too.
  await page.locator('#lang').click();
  assert.equal(await page.locator('[data-test="measure-line"]').textContent(), 'Distance');
  await page.locator('[data-test="locate-open"]').click();
  assert.match(await page.locator('[data-test="locate-input"]').getAttribute('placeholder'), /Gauss-Krüger/);
  assert.match(await r.textContent(), /zone 38 X/);
}
