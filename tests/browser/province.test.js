// Browser test of a province of cities (issue 15): the demo city (咸宁市) and a second city beside
// it (黄石市, two counties and a few parcels) on one deployment at the province level (湖北省),
// loaded the way an admin would — a boundary file through POST /api/v1/imports (kind=region), the
// deployment named through PUT /api/v1/city, parcels through an ordinary import. The title names
// the province; the leader view lists the two cities with the API's figures; clicking one drills
// down to its counties (the map filter follows) and the breadcrumb leads back; the map's low zooms
// label each city with its totals. At 1600×1000 and 390×844.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startStack, openPage, waitIdle, shot, DEMO_PASSWORD, noProblems } from './harness.js';

let stack;
let token;

/** HS are 黄石市's two counties as west/south/east/north boxes east of 咸宁市. */
const HS = [['420222', '阳新县', [114.95, 29.55, 115.5, 29.85]], ['420281', '大冶市', [114.95, 29.85, 115.5, 30.2]]];
const box = ([w, s, e, n]) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const feature = (properties, geometry) => ({ type: 'Feature', properties, geometry });

async function call(method, path, body, headers = {}) {
  const res = await fetch(stack.url + path, { method, body, headers: { Authorization: `Bearer ${token}`, ...headers } });
  const json = await res.json();
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const get = (path) => call('GET', path);

/** upload sends a GeoJSON file to POST /api/v1/imports as kind. */
function upload(kind, name, collection) {
  const form = new FormData();
  form.append('kind', kind);
  form.append('file', new Blob([JSON.stringify(collection)], { type: 'application/geo+json' }), name);
  return call('POST', '/api/v1/imports', form);
}

/** sql runs one query on the test database and returns its text output. */
const sql = (q) => execFileSync('psql', ['-qtA', '-v', 'ON_ERROR_STOP=1', stack.dbURL, '-c', q], { encoding: 'utf8' }).trim();

before(async () => {
  stack = await startStack();
  const res = await fetch(`${stack.url}/api/v1/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }) });
  token = (await res.json()).token;
  // 咸宁市's outline is its counties' (the demo loads counties only); the province's both cities'.
  const [xn, hb] = sql(`WITH x AS (SELECT ST_Union(geom) AS g FROM regions WHERE code LIKE '4212%')
    SELECT ST_AsGeoJSON(g, 6) FROM x UNION ALL SELECT ST_AsGeoJSON(ST_Union(g, ST_MakeEnvelope(114.95, 29.55, 115.5, 30.2, 4490)), 6) FROM x`)
    .split('\n').map((l) => JSON.parse(l));
  const hs = box([114.95, 29.55, 115.5, 30.2]);
  const rep = await upload('region', 'xzq.geojson', { type: 'FeatureCollection', features: [
    feature({ XZQDM: '420000', XZQMC: '湖北省' }, hb),
    feature({ XZQDM: '421200', XZQMC: '咸宁市' }, xn),
    feature({ XZQDM: '420200', XZQMC: '黄石市' }, hs),
    ...HS.map(([code, name, b]) => feature({ XZQDM: code, XZQMC: name }, box(b))),
  ] });
  assert.equal(rep.inserted, 5, `regions loaded: ${JSON.stringify(rep)}`);
  await call('PUT', '/api/v1/city', JSON.stringify({ name: '湖北省', code: '420000', level: 'province' }), { 'Content-Type': 'application/json' });
  // Parcels in 黄石市: 4 in 阳新县 (1 revitalised), 3 in 大冶市.
  const parcels = [];
  HS.forEach(([code, , [w, s, , n]], c) => {
    for (let i = 0; i < 4 - c; i++) {
      const x = w + 0.05 + i * 0.04, y = (s + n) / 2;
      parcels.push(feature({ code: `HS-${code}-${i}`, name: `黄石${i + 1}号地`, stage: c === 0 && i === 0 ? 'done' : 'idle' }, box([x, y, x + 0.01, y + 0.008])));
    }
  });
  const land = await upload('land', 'hs.geojson', { type: 'FeatureCollection', features: parcels });
  assert.equal(land.rows_inserted, 7, `parcels imported: ${JSON.stringify(land)}`);
});
after(async () => { await stack?.stop(); });

/** rankRows reads the leader view's ranking: region code → area (亩) as shown. */
const rankRows = (page) => page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#ranking tbody tr')]
  .map((tr) => [tr.dataset.region, Number(tr.children[2].textContent.replace(/[^0-9.]/g, ''))])));

/** apiAreas sums /api/v1/stats groups into code → rounded 亩, as the ranking shows them. */
async function apiAreas(query, key) {
  const out = {};
  for (const g of (await get(`/api/v1/stats?${query}`)).groups) out[g[key]] = (out[g[key]] || 0) + g.area_mu;
  for (const k of Object.keys(out)) out[k] = Math.round(out[k]);
  return out;
}

/** waitRows waits until the ranking lists exactly codes. */
const waitRows = (page, codes) => page.waitForFunction((want) => {
  const got = [...document.querySelectorAll('#ranking tbody tr')].map((tr) => tr.dataset.region).sort();
  return JSON.stringify(got) === JSON.stringify([...want].sort());
}, codes, { timeout: 20_000 });

for (const viewport of [{ width: 1600, height: 1000 }, { width: 390, height: 844 }]) {
  test(`province at ${viewport.width}: the title names it, the leader view lists its cities and drills into one, the breadcrumb leads back`, { timeout: 180_000 }, async () => {
    const page = await openPage(stack, '#/dashboard', viewport);
    assert.match(await page.title(), /^湖北省/, 'the title names the province');
    await waitRows(page, ['421200', '420200']);
    assert.deepEqual(await rankRows(page), await apiAreas('group_by=city', 'city_code'), 'city rows equal /api/v1/stats?group_by=city');
    assert.equal(await page.locator('.kpi-scope .scope-name').textContent(), '湖北省');
    await page.waitForTimeout(600); // chart animations
    await shot(page, `province-cities-${viewport.width}.png`);

    await page.locator('#ranking tr[data-region="420200"]').click();
    await waitRows(page, ['420222', '420281']);
    assert.deepEqual(await rankRows(page), await apiAreas('group_by=region&region=420200', 'region_code'), 'county rows equal the API');
    assert.match(page.url(), /region=420200/, 'the map filter follows the city');
    await page.waitForFunction(() => window.__map.getSource('onemap').tiles[0].includes('420222'));
    assert.equal((await page.locator('[data-test="crumbs"]').textContent()).replace(/\s/g, ''), '湖北省›黄石市');
    assert.equal(await page.locator('.kpi-scope .scope-name').textContent(), '黄石市');
    await waitIdle(page);
    await page.waitForTimeout(600);
    await shot(page, `province-city-${viewport.width}.png`);

    await page.locator('[data-test="crumbs"] button.crumb').first().click();
    await waitRows(page, ['421200', '420200']);
    assert.doesNotMatch(page.url(), /region=/, 'back at the province the map is unfiltered');
    // 咸宁市 drills down to its six demo counties.
    await page.locator('#ranking tr[data-region="421200"]').click();
    const xn = await apiAreas('group_by=region&region=421200', 'region_code');
    await waitRows(page, Object.keys(xn));
    assert.equal(Object.keys(xn).length, 6);
    assert.deepEqual(await rankRows(page), xn, '咸宁市 county rows equal the API');
    noProblems(page);
    await page.context().close();
  });
}

test('the map of a province labels each city with its totals at low zoom, its counties closer in', { timeout: 180_000 }, async () => {
  const page = await openPage(stack, '', { width: 1600, height: 1000 });
  await page.evaluate(() => window.__map.jumpTo({ center: [114.4, 29.7], zoom: 7.2 }));
  await waitIdle(page);
  const byCity = new Map();
  for (const g of (await get('/api/v1/stats?group_by=city,stage')).groups) {
    const c = byCity.get(g.city_code) || { n: 0, idle: 0 };
    c.n += g.count;
    if (g.stage === 'idle') c.idle += g.area_mu;
    byCity.set(g.city_code, c);
  }
  for (const [code, c] of byCity) {
    const label = page.locator(`.city-label[data-region="${code}"]`);
    await label.locator('.city-total').waitFor();
    assert.ok(await label.isVisible(), `${code} labelled at zoom 7`);
    const n = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
    assert.equal(await label.locator('.city-total').textContent(), `${n.format(c.n)} 宗 · 闲置 ${n.format(c.idle)} 亩`, `${code}'s totals equal the API`);
  }
  assert.ok(await page.locator('.region-label[data-region="420222"]').isHidden(), 'no county labels at zoom 7');
  await shot(page, 'province-map-z7.png');
  await page.evaluate(() => window.__map.jumpTo({ center: [115.2, 29.9], zoom: 9.5 }));
  await waitIdle(page);
  assert.ok(await page.locator('.region-label[data-region="420222"]').isVisible(), 'county labels at zoom 9.5');
  assert.ok(await page.locator('.city-label[data-region="420200"]').isHidden(), 'no city labels at zoom 9.5');
  await shot(page, 'province-map-z9.png');
  // Clicking a city's name filters the map to it (and so the leader view to its counties).
  await page.evaluate(() => window.__map.jumpTo({ center: [114.4, 29.7], zoom: 7.2 }));
  await waitIdle(page);
  await page.locator('.city-label[data-region="420200"] .region-name').click();
  await page.waitForFunction(() => location.hash.includes('region=420200'));
  await page.locator('[data-route="dashboard"]').click();
  await waitRows(page, ['420222', '420281']);
  noProblems(page);
  await page.context().close();
});
