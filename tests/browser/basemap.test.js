// Browser tests of issue 13 items 8 and 10. Basemaps (at 1600×1000, 1366×768 and 390×844): with a Tianditu key the map asks the
// (local, stand-in) Tianditu WMTS for 矢量 + 注记 (vec, cva) with tk=KEY by default, 影像 + 注记
// (img, cia) after one click on the map's switch, and credits 天地图; a server without a key asks
// Tianditu for nothing and its CSP names no Tianditu host. Density: the layers panel's 闲置土地密度
// draws hexagons with a legend at zoom 11 and hides them above zoom 13.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, openPage, waitIdle, shot, noProblems, TIANDITU_TEST_KEY } from './harness.js';

let stack;
before(async () => { stack = await startStack({ tianditu: true }); });
after(async () => { await stack?.stop(); });

const CREDIT = '© 天地图 / 国家地理信息公共服务平台';
const VIEW = '#/map?c=114.32,29.84&z=11';
const hashParams = (page) => page.evaluate(() => Object.fromEntries(new URLSearchParams(location.hash.split('?')[1] || '')));
const attribution = (page) => page.locator('.maplibregl-ctrl-attrib-inner').textContent();
/** since lists the Tianditu layers asked for after request n, each with the keys it carried. */
const since = (n) => {
  const out = {};
  for (const r of stack.tianditu().slice(n)) (out[r.path] ||= new Set()).add(`${r.layer}/${r.tk}`);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v]]));
};

for (const size of [{ width: 1600, height: 1000 }, { width: 1366, height: 768 }, { width: 390, height: 844 }]) {
  test(`basemap: Tianditu 矢量 + 注记 by default, 影像 + 注记 one click away, with their credit, at ${size.width}×${size.height}`, async () => {
    const n0 = stack.tianditu().length;
    const page = await openPage(stack, VIEW, size);
    assert.equal(await page.locator('#basemap').inputValue(), 'tdt_vec');
    assert.deepEqual(since(n0), { vec: [`vec/${TIANDITU_TEST_KEY}`], cva: [`cva/${TIANDITU_TEST_KEY}`] }, 'vector and its labels, with the key');
    assert.ok((await attribution(page)).includes(CREDIT), 'the Tianditu credit is shown');
    assert.equal((await hashParams(page)).b, undefined, 'the default basemap is not written into links');
    await shot(page, `basemap-tdt-vec-${size.width}.png`);

    const n1 = stack.tianditu().length;
    const sw = page.locator('.basemap-switch-btn');
    assert.equal(await sw.textContent(), '影像');
    await sw.click();
    await waitIdle(page);
    assert.deepEqual(since(n1), { img: [`img/${TIANDITU_TEST_KEY}`], cia: [`cia/${TIANDITU_TEST_KEY}`] }, 'imagery and its labels after one click');
    assert.equal(await page.locator('#basemap').inputValue(), 'tdt_img');
    assert.equal((await hashParams(page)).b, 'tdt_img');
    assert.equal(await sw.textContent(), '矢量');
    assert.ok((await attribution(page)).includes(CREDIT));
    await shot(page, `basemap-tdt-img-${size.width}.png`);
    noProblems(page);
    await page.context().close();
  });
}

test('basemap: without a key the offline default stays and Tianditu is never asked', async () => {
  const url = await stack.serveAlso(['-tianditu-key', '', '-tianditu-url', 'https://t{s}.tianditu.gov.cn/{layer}_w/wmts']);
  const n0 = stack.tianditu().length;
  const page = await openPage({ ...stack, url }, VIEW, { width: 1366, height: 768 });
  const asked = [];
  page.on('request', (r) => { if (/wmts|tianditu/.test(r.url())) asked.push(r.url()); });
  await page.reload();
  await waitIdle(page);
  assert.deepEqual(await page.locator('#basemap option').evaluateAll((os) => os.map((o) => o.value)), ['none', 'xyz']);
  assert.equal(await page.locator('#basemap').inputValue(), 'none');
  assert.ok(await page.locator('.basemap-switch').isHidden(), 'no 矢量/影像 switch');
  assert.deepEqual(asked, []);
  assert.equal(stack.tianditu().length, n0, 'the Tianditu stand-in had no request');
  assert.ok(!(await attribution(page)).includes('天地图'));
  const csp = (await fetch(url + '/')).headers.get('content-security-policy');
  assert.ok(!/tianditu/.test(csp), csp);
  await shot(page, 'basemap-none-1366.png');
  noProblems(page);
  await page.context().close();
});

/** densityCells is what the density layer draws in the view: [cells, sum of 亩]. */
const densityCells = (page) => page.evaluate(() => {
  if (!window.__map.getLayer('density-fill')) return [0, 0];
  const fs = window.__map.queryRenderedFeatures({ layers: ['density-fill'] });
  const seen = new Map(fs.map((f) => [JSON.stringify(f.geometry.coordinates[0][0]), f.properties.area_mu]));
  return [seen.size, [...seen.values()].reduce((a, b) => a + b, 0)];
});

test('density: 闲置土地密度 switched on in the layers panel shows hexagons with a legend at zoom 11', async () => {
  const page = await openPage(stack, VIEW, { width: 1600, height: 1000 });
  const asked = [];
  page.on('request', (r) => { if (r.url().includes('/api/v1/density')) asked.push(new URL(r.url()).searchParams); });
  assert.deepEqual(await densityCells(page), [0, 0], 'off by default');
  await page.locator('#lyr-density').check();
  await page.locator('[data-test=density-legend]').waitFor();
  await waitIdle(page);
  const [cells, mu] = await densityCells(page);
  assert.ok(cells >= 5 && mu > 0, `hexagons drawn at zoom 11: ${cells} cells, ${mu} 亩`);
  assert.equal(asked.at(-1).get('zoom'), '11');
  assert.equal(asked.at(-1).get('land_status'), 'approved_unsupplied,idle');
  const legend = await page.locator('[data-test=density-legend]').textContent();
  assert.match(legend, /亩 \/ 每格边长约 1\.\d 公里/);
  assert.equal((await hashParams(page)).dn, '1', 'the link keeps the layer on');
  await shot(page, 'density-z11-1600.png');

  // A county filter reaches the density request.
  const filtered = page.waitForRequest((r) => r.url().includes('/api/v1/density') && new URL(r.url()).searchParams.get('region') === '421202');
  await page.evaluate(() => { location.hash = location.hash + '&region=421202'; });
  await filtered; // the county filter reaches the density
  await waitIdle(page);
  noProblems(page);
  await page.context().close();

  for (const [w, hgt] of [[1366, 768], [390, 844]]) {
    const p = await openPage(stack, `${VIEW}&dn=1`, { width: w, height: hgt });
    await p.waitForFunction(() => window.__map.getSource('density') && window.__map.querySourceFeatures('density').length > 0);
    await waitIdle(p);
    const [n] = await densityCells(p);
    assert.ok(n > 0, `${w}×${hgt}: ${n} cells`);
    await shot(p, `density-z11-${w}.png`);
    noProblems(p);
    if (w < 640) {
      // Above zoom 13 the map shows parcels and the density hides (checked on the small screen: fewer tiles).
      await p.evaluate(() => window.__map.jumpTo({ zoom: 14.2 }));
      await waitIdle(p);
      assert.deepEqual(await densityCells(p), [0, 0]);
      assert.match(await p.locator('.density-note').textContent(), /13/);
    }
    await p.context().close();
  }
});
