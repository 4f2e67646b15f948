// Browser tests of drawn queries (polygon, rectangle, circle, a buffer around the selected asset),
// their share links, the asset panel's idle assessment and edit form, and small things: stage
// order, query-mark colour, English wording, no MapLibre warnings on a zone query.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, openPage, waitIdle, shot, DEMO_PASSWORD, noProblems, signIn } from './harness.js';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { await stack?.stop(); });

const api = async (path) => {
  const res = await fetch(stack.url + path);
  assert.equal(res.status, 200, `GET ${path}`);
  return res.json();
};

const assetLayers = ['land', 'mine', 'forest', 'water', 'building'].flatMap((k) => [`${k}-fill`, `${k}-point`]);

/** findPixel looks outward from the map's centre for a pixel whose top asset feature passes want(f). */
async function findPixel(page, want) {
  const p = await page.evaluate(({ layers, want }) => {
    const m = window.__map;
    const ok = new Function('f', `return (${want})(f)`); // eslint-disable-line no-new-func
    const c = m.getCanvas();
    const w = c.clientWidth, h = c.clientHeight;
    for (let r = 0; r < Math.min(w, h) / 2 - 20; r += 6) {
      for (const [dx, dy] of [[0, 0], [r, 0], [-r, 0], [0, r], [0, -r], [r, r], [-r, -r], [r, -r], [-r, r]]) {
        const pt = [w / 2 + dx, h / 2 + dy];
        const f = m.queryRenderedFeatures(pt, { layers: layers.filter((l) => m.getLayer(l)) })[0];
        if (f && ok({ id: f.properties.id ?? null, count: f.properties.count ?? null, layer: f.layer.id })) return pt;
      }
    }
    return null;
  }, { layers: assetLayers, want: want.toString() });
  assert.ok(p, `a pixel matching ${want}`);
  const box = await page.locator('#map canvas').boundingBox();
  return { x: box.x + p[0], y: box.y + p[1] };
}

async function centreOn(page, id, zoom) {
  const detail = await api(`/api/v1/assets/${id}`);
  await page.evaluate(({ g, zoom }) => {
    const pts = [];
    const walk = (c) => (typeof c[0] === 'number' ? pts.push(c) : c.forEach(walk));
    walk(g.coordinates);
    const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
    window.__map.jumpTo({ center: [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2], zoom });
  }, { g: detail.geometry, zoom });
  await waitIdle(page);
  return detail;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** markedIds are the ids of the query's marks on the map (the overlay's data). */
const markedIds = (page) => page.evaluate(() => (window.__map.getSource('query-hits')?.serialize().data.features || []).map((f) => f.id).sort((a, b) => a - b));

/** drawnResult waits for a drawn query's list and returns the request the page made. */
async function drawnResult(page, action) {
  const request = page.waitForResponse((r) => r.url().includes('/api/v1/assets?') && r.url().includes('within='));
  await action();
  const res = await request;
  await page.locator('#results[data-type="draw"]').waitFor();
  await page.waitForFunction(() => !document.querySelector('#results.loading') && document.querySelector('#results tbody tr, #results .empty'));
  await waitIdle(page);
  return new URL(res.url());
}

/** sameAsAPI checks the list and the map's marks against the API asked the same geometry. */
async function sameAsAPI(page, asked, what) {
  const q = new URLSearchParams(asked.search);
  q.delete('format');
  q.delete('geometry');
  q.delete('properties');
  const fromAPI = await api(`/api/v1/assets?${q}`);
  assert.ok(fromAPI.total > 0, `${what}: the area holds assets`);
  assert.equal((await page.locator('[data-test="total-count"]').textContent()).replace(/\D/g, ''), String(fromAPI.total), `${what}: count`);
  assert.deepEqual(await markedIds(page), fromAPI.items.map((a) => a.id).sort((a, b) => a - b), `${what}: a mark on each asset the API lists`);
  const rows = await page.locator('#results tbody tr td:first-child').allTextContents();
  const codes = new Set(fromAPI.items.map((a) => a.code));
  assert.ok(rows.length === Math.min(50, fromAPI.total) && rows.every((c) => codes.has(c)), `${what}: each row is in the API's answer`);
  return fromAPI;
}

test('with the polygon tool active clicks only draw: a parcel (zoom 16) and a land cell (zoom 11) become vertices, nothing opens or zooms; Esc cancels', { timeout: 180_000 }, async () => {
  const { items: [a] } = await api('/api/v1/assets?kind=land&sort=-area_mu&limit=1');
  const page = await openPage(stack);
  await page.locator('#tab-query').click();
  await centreOn(page, a.id, 16);
  const onParcel = await findPixel(page, (f) => f.id != null);
  await page.locator('[data-draw="polygon"]').click();
  await page.waitForFunction(() => document.body.classList.contains('drawing'));
  await page.mouse.click(onParcel.x, onParcel.y);
  await sleep(700);
  assert.equal(await page.locator('#panel').isHidden(), true, 'a click on a parcel opens no panel');
  assert.equal(await page.evaluate(() => window.__map.getZoom()), 16, 'and does not zoom');
  // The same shape goes on at zoom 11, where tiles show grid cells that a click would zoom into.
  await page.evaluate(() => window.__map.jumpTo({ zoom: 11 }));
  await waitIdle(page);
  const onCell = await findPixel(page, (f) => f.id == null && f.count != null);
  await page.mouse.click(onCell.x, onCell.y);
  await sleep(700);
  assert.equal(await page.evaluate(() => window.__map.getZoom()), 11, 'a click on a cell does not zoom');
  assert.equal(await page.locator('#panel').isHidden(), true);
  const box = await page.locator('#map canvas').boundingBox();
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.3);
  await sleep(300);
  const drawing = await page.evaluate(() => window.__draw.getSnapshot().filter((f) => f.geometry.type === 'Polygon').map((f) => f.geometry.coordinates[0].length));
  assert.equal(drawing.length, 1, 'one polygon being drawn');
  assert.ok(drawing[0] >= 4, `three vertices placed: ring of ${drawing[0]}`);
  await shot(page, 'draw-01-polygon-in-progress.png');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.body.classList.contains('drawing'));
  assert.equal(await page.evaluate(() => window.__draw.getSnapshot().length), 0, 'Esc drops the shape');
  assert.equal(await page.locator('[data-draw="polygon"]').getAttribute('aria-pressed'), 'false');
  assert.equal(await page.locator('#results').getAttribute('data-type'), 'filter', 'no query ran');
  assert.ok(!page.url().includes('qg='));
  // With the tool down a click opens the asset again.
  await sleep(400);
  await centreOn(page, a.id, 16);
  const again = await findPixel(page, (f) => f.id != null);
  await page.mouse.click(again.x, again.y);
  await page.locator('[data-test="asset-code"]').waitFor();
  noProblems(page);
  await page.context().close();
});

test('rectangle and circle list what the API lists for the same geometry; the link reopens the same list', { timeout: 240_000 }, async () => {
  const page = await openPage(stack);
  await page.locator('#tab-query').click();
  const box = await page.locator('#map canvas').boundingBox();
  const at = (fx, fy) => [box.x + box.width * fx, box.y + box.height * fy];
  // Rectangle at the city view (zoom ~9: grid cells and marks).
  const rect = await drawnResult(page, async () => {
    await page.locator('[data-draw="rectangle"]').click();
    await page.waitForFunction(() => document.body.classList.contains('drawing'));
    await page.mouse.click(...at(0.35, 0.3));
    await page.mouse.move(...at(0.5, 0.45), { steps: 5 });
    await page.mouse.click(...at(0.55, 0.5));
  });
  const rectAPI = await sameAsAPI(page, rect, 'rectangle');
  const marks = await page.evaluate(() => window.__map.queryRenderedFeatures({ layers: ['query-hits'] }).map((f) => f.id));
  assert.ok(marks.length > 0 && marks.every((id) => rectAPI.items.some((x) => x.id === id)), 'marks drawn on the map are results');
  await shot(page, 'draw-02-rectangle.png');
  const link = page.url();
  assert.match(link, /qg=[A-Za-z0-9_.*-]+/, 'the area is in the link');
  // The link in a new context: same list, same marks.
  const other = await openPage(stack, link.slice(link.indexOf('#')));
  await other.locator('#results[data-type="draw"]').waitFor();
  await other.waitForFunction(() => !document.querySelector('#results.loading') && document.querySelector('#results tbody tr'));
  await waitIdle(other);
  assert.equal((await other.locator('[data-test="total-count"]').textContent()).replace(/\D/g, ''), String(rectAPI.total), 'the link lists the same count');
  assert.deepEqual(await markedIds(other), await markedIds(page), 'and marks the same assets');
  assert.deepEqual(await other.locator('#results tbody tr td:first-child').allTextContents(), await page.locator('#results tbody tr td:first-child').allTextContents(), 'in the same order');
  assert.equal(await other.evaluate(() => window.__map.getSource('query-area')?.serialize().data.features.length), 1, 'the area is outlined');
  await shot(other, 'draw-03-rectangle-from-link.png');
  noProblems(other);
  await other.context().close();
  // Pasted into this tab after the query was cleared, the link runs it again.
  await page.locator('#q-clear').click();
  await page.locator('#results[data-type="filter"]').waitFor();
  assert.ok(!page.url().includes('qg='), 'clearing drops the area from the link');
  await drawnResult(page, () => page.evaluate((h) => { location.hash = h; }, link.slice(link.indexOf('#'))));
  assert.equal((await page.locator('[data-test="total-count"]').textContent()).replace(/\D/g, ''), String(rectAPI.total), 'the pasted link lists the same count');
  // Circle at zoom 13, around the largest parcel of land.
  const { items: [big] } = await api('/api/v1/assets?kind=land&sort=-area_mu&limit=1');
  await centreOn(page, big.id, 13);
  const circle = await drawnResult(page, async () => {
    await page.locator('[data-draw="circle"]').click();
    await page.waitForFunction(() => document.body.classList.contains('drawing'));
    await page.mouse.click(...at(0.5, 0.4));
    await page.mouse.move(...at(0.56, 0.4), { steps: 5 });
    await page.mouse.click(...at(0.6, 0.4));
  });
  await sameAsAPI(page, circle, 'circle');
  const ring = JSON.parse(circle.searchParams.get('within')).coordinates[0];
  assert.ok(ring.length > 30, `a circle is a many-sided ring (${ring.length})`);
  await shot(page, 'draw-04-circle.png');
  noProblems(page);
  await page.context().close();
});

test('a buffer of N metres around the selected asset lists what the API lists; its link reopens it', { timeout: 180_000 }, async () => {
  const { items: [a] } = await api('/api/v1/assets?kind=land&sort=-area_mu&limit=1');
  const page = await openPage(stack, `#/map?a=${a.id}`, { width: 1366, height: 768 });
  await page.locator('[data-test="asset-code"]').waitFor();
  await page.locator('#tab-query').click();
  await page.locator('#q-buffer-m').fill('1500');
  const asked = await drawnResult(page, () => page.locator('#q-buffer').click());
  const buf = await api(`/api/v1/assets/${a.id}/buffer?radius_m=1500`);
  const within = JSON.parse(asked.searchParams.get('within'));
  assert.equal(within.type, buf.type);
  const fromAPI = await sameAsAPI(page, asked, 'buffer');
  assert.ok(fromAPI.items.some((x) => x.id === a.id), 'the asset itself is within its buffer');
  assert.ok(fromAPI.total > 1, `neighbours within 1.5 km: ${fromAPI.total}`);
  const title = await page.locator('#results .results-title').textContent();
  assert.match(title, /1,500/);
  await waitIdle(page);
  await shot(page, 'draw-05-buffer-1366.png');
  const link = page.url();
  const other = await openPage(stack, link.slice(link.indexOf('#')), { width: 390, height: 844 });
  await other.waitForFunction(() => !document.querySelector('#results.loading') && document.querySelector('#results[data-type="draw"] tbody tr'));
  assert.deepEqual(await markedIds(other), await markedIds(page), 'the link marks the same assets');
  await shot(other, 'draw-06-buffer-from-link-390.png');
  noProblems(other);
  await other.context().close();
  noProblems(page);
  await page.context().close();
});

test('asset panel: the idle assessment comes first with its fee; an analyst edits a date, the idle cause and a ruling, and the API has them', { timeout: 180_000 }, async () => {
  const { items } = await api('/api/v1/assets?kind=land&land_status=idle&sort=-area_mu&limit=100');
  let a = null;
  for (const it of items) {
    const d = await api(`/api/v1/assets/${it.id}`);
    if (d.land?.idle_assessment?.fee_due && d.appraised_value != null) { a = d; break; }
  }
  assert.ok(a, 'some idle land owes the fee and has an appraised value');
  const page = await openPage(stack, `#/map?a=${a.id}`);
  await page.locator('[data-test="asset-code"]').waitFor();
  const first = await page.locator('#panel .panel-body > *').first().getAttribute('data-test');
  assert.equal(first, 'idle-box', 'the idle assessment comes first');
  const fee = await page.locator('[data-test="idle-fee"]').textContent();
  const want = (a.appraised_value * 0.2).toLocaleString('zh-CN', { maximumFractionDigits: 2 });
  assert.ok(fee.includes(want) && fee.includes('评估价值') && fee.includes('20%'), `fee from the appraised value: ${fee} (want ${want})`);
  assert.match(await page.locator('[data-test="days-overdue"]').textContent(), new RegExp(`${a.land.idle_assessment.days_overdue.toLocaleString('zh-CN')} 天`));
  await signIn(page, 'analyst');
  await page.locator('#edit-form').waitFor();
  // Every editable field of land is in the form, with its input type.
  const names = await page.locator('#edit-form [data-kind]').evaluateAll((els) => els.map((e) => `${e.name}:${e.type}`));
  for (const f of ['stage:select-one', 'mode:select-one', 'revenue:number', 'responsible_unit:text', 'responsible_person:text', 'name:text', 'holder:text',
    'holder_type:select-one', 'book_value:number', 'appraised_value:number', 'land_status:select-one', 'land_class_system:select-one', 'land_class_code:text',
    'approval_no:text', 'approval_date:date', 'supply_method:text', 'supply_date:date', 'agreed_start:date', 'actual_start:date',
    'developed_share:number', 'invested_share:number', 'idle_cause:select-one', 'idle_override:select-one', 'idle_override_reason:textarea']) {
    assert.ok(names.includes(f), `form has ${f}: ${names}`);
  }
  await shot(page, 'draw-07-panel-idle-first.png');
  await page.locator('#edit-agreed_start').fill('2021-03-15');
  await page.locator('#edit-idle_cause').selectOption('government');
  await page.locator('#edit-idle_override').selectOption('idle');
  await page.locator('#edit-save').click();
  await page.locator('[data-test="edit-msg"]', { hasText: '认定理由' }).waitFor();
  await page.locator('#edit-idle_override_reason').fill('浏览器测试：现场核查确认闲置');
  await page.locator('#edit-note').fill('浏览器测试：改约定动工日期与闲置原因');
  await page.locator('#edit-save').click();
  await page.waitForFunction(() => document.querySelector('#panel .timeline li')?.textContent.includes('浏览器测试：改约定动工日期'));
  const after = await api(`/api/v1/assets/${a.id}`);
  assert.equal(after.land.agreed_start, '2021-03-15');
  assert.equal(after.land.idle_cause, 'government');
  assert.equal(after.land.idle_override, 'idle');
  assert.equal(after.land.idle_override_reason, '浏览器测试：现场核查确认闲置');
  assert.equal(after.version, a.version + 1, 'one edit');
  // Government-caused: no fee, and the panel says so at once.
  assert.equal(after.land.idle_assessment.fee_due, false);
  assert.equal(await page.locator('[data-test="idle-fee"]').count(), 0);
  assert.equal(await page.locator('#edit-agreed_start').inputValue(), '2021-03-15');
  assert.equal(await page.locator('#edit-idle_cause').inputValue(), 'government');
  await page.locator('#edit-form').scrollIntoViewIfNeeded();
  await shot(page, 'draw-08-panel-form.png');
  // A share typed in % reaches the API as 0..1.
  await page.locator('#edit-developed_share').fill('12.5');
  await page.locator('#edit-save').click();
  await page.waitForFunction(async (id) => (await (await fetch(`/api/v1/assets/${id}`)).json()).land.developed_share === 0.125, a.id);
  noProblems(page);
  await page.context().close();
  // A small phone: the form is one column and fits.
  const phone = await openPage(stack, `#/map?a=${a.id}`, { width: 390, height: 844 });
  await phone.locator('[data-test="asset-code"]').waitFor();
  await signIn(phone, 'analyst');
  await phone.locator('#edit-form').scrollIntoViewIfNeeded();
  const overflow = await phone.evaluate(() => [...document.querySelectorAll('#edit-form input, #edit-form select')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).length);
  assert.equal(overflow, 0, 'no input runs off a 390 px screen');
  await shot(phone, 'draw-09-panel-form-390.png');
  await phone.context().close();
});

test('small things: no MapLibre warning on a zone query, marks not in 出售 orange, 阶段 sorts in stage order, English wording', { timeout: 180_000 }, async () => {
  const zones = await api('/api/v1/zones');
  let zone = null;
  for (const z of zones) {
    const r = await api(`/api/v1/zones/${encodeURIComponent(z.code)}/assets?limit=1`);
    if (r.totals.count > 20) { zone = z; break; }
  }
  assert.ok(zone, 'a zone with assets');
  const page = await openPage(stack);
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await page.locator('#tab-query').click();
  await page.locator('#q-zone').selectOption(zone.code);
  await page.locator('#q-zone-all').click();
  await page.locator('#results[data-type="zone"] tbody tr').first().waitFor();
  await waitIdle(page);
  await sleep(500);
  assert.deepEqual(warnings, [], 'no console warnings on a zone query');
  const paint = await page.evaluate(() => JSON.stringify([window.__map.getPaintProperty('query-hits', 'circle-color'), window.__map.getPaintProperty('land-hit', 'line-color')]));
  assert.ok(!/#f76707|#e67700/i.test(paint), `query marks are not orange: ${paint}`);
  // 阶段 in stage order, both ways, in a zone list (sorted here) and the filter list (by the server).
  const ORDER = ['未盘活', '拟盘活', '盘活中', '已盘活'];
  const stageHead = page.locator('#results thead th', { hasText: '阶段' }).locator('button');
  const checkOrder = async (what) => {
    for (const dir of [1, -1]) {
      await stageHead.click();
      await page.waitForFunction(() => !document.querySelector('#results.loading'));
      const ranks = (await page.locator('#results tbody tr td:last-child').allTextContents()).map((s) => ORDER.findIndex((x) => s.includes(x)));
      assert.ok(ranks.length > 1 && ranks.every((r) => r >= 0), `${what}: stages read`);
      const sorted = [...ranks].sort((x, y) => dir * (x - y));
      assert.deepEqual(ranks, sorted, `${what}: stage order, ${dir > 0 ? 'ascending' : 'descending'}`);
    }
  };
  await checkOrder('zone list');
  await shot(page, 'draw-10-zone-stage-order.png');
  await page.locator('#q-clear').click();
  await page.locator('#results[data-type="filter"]').waitFor();
  if (await page.locator('#results .toggle').getAttribute('aria-expanded') !== 'true') await page.locator('#results .toggle').click();
  await page.locator('#results tbody tr').first().waitFor();
  await checkOrder('filter list');
  // English: 未盘活 is "Not started", 闲置 land "Idle", units after a space.
  await page.locator('#lang').click();
  await page.locator('#tab-filters').click();
  const chips = await page.locator('#filters-panel').textContent();
  assert.ok(chips.includes('Not started'), 'stage idle reads Not started');
  assert.ok(/Idle/.test(chips), 'land status idle reads Idle');
  const totals = await page.locator('#results .totals').textContent();
  assert.match(totals, /\d mu/, `a space before units: ${totals}`);
  assert.ok(!/\dmu|\d10k/.test(await page.locator('body').textContent()), 'no unit glued to its number');
  await shot(page, 'draw-11-english.png');
  noProblems(page);
  await page.context().close();
});
