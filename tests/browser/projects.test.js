// Browser tests of 盘活项目 on the map (issue 11): a project chosen in the 项目 tab highlights
// exactly its member assets (the features its layers render equal the API's members, at zoom 11
// and 16, on a laptop and a phone), the asset panel's 所属项目 link opens the project, and an
// analyst creates a project holding the selected asset. The projects are made through the API
// here: the demo city has none of its own in this branch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, openPage, waitIdle, shot, DEMO_PASSWORD, noProblems, signIn } from './harness.js';

let stack;
let project; // { id, code, bbox, members: [id] }
let spare; // an asset in no project, for the analyst's new one

const LAYERS = ['project-fill', 'project-line', 'project-mark'];
const VIEWPORTS = [{ width: 1366, height: 768 }, { width: 390, height: 844 }];

async function call(method, path, token, body) {
  const res = await fetch(stack.url + path, { method, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: await res.json().catch(() => null) };
}

async function token(username) {
  const { body } = await call('POST', '/api/v1/login', null, { username, password: DEMO_PASSWORD });
  return body.token;
}

/** centre is the middle of a geometry's bounding box. */
function centre(g) {
  const pts = [];
  const walk = (c) => (typeof c[0] === 'number' ? pts.push(c) : c.forEach(walk));
  walk(g.coordinates);
  const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
  return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
}

/** nearest orders the land parcels by their distance from seed's centre. */
const nearest = (list, seed) => [...list].sort((a, b) => Math.hypot(a.center[0] - seed.center[0], a.center[1] - seed.center[1]) -
  Math.hypot(b.center[0] - seed.center[0], b.center[1] - seed.center[1]));

/** makeProject creates a project of three neighbouring land parcels (the first seed whose parcels are free). */
async function makeProject(tok) {
  const { body } = await call('GET', '/api/v1/assets?kind=land&limit=2000&format=geojson&geometry=center&properties=id,code,region_code');
  assert.ok(body.features, `GET /assets: ${JSON.stringify(body)}`);
  const land = body.features.map((f) => ({ ...f.properties, id: f.id, center: f.geometry.coordinates })).filter((a) => a.region_code);
  const units = (await call('GET', '/api/v1/units')).body.units;
  for (let i = 0; i < 40; i++) {
    const seed = land[i * 37 % land.length];
    const near = nearest(land, seed).slice(0, 3);
    const unit = units.find((u) => u.code === seed.region_code) || units[0];
    const res = await call('POST', '/api/v1/projects', tok, { code: `BT-${i}`, name: '浏览器测试盘活项目', year: 2026, unit_code: unit.code,
      field: 'natural_resources', mode: 'sell', instrument: 'transfer_grant', expected_benefit: 88.5, asset_ids: near.map((a) => a.id) });
    if (res.status === 201) {
      const fc = (await call('GET', `/api/v1/projects/${res.body.id}/geojson`)).body;
      spare = land.find((a) => !near.includes(a) && Math.hypot(a.center[0] - seed.center[0], a.center[1] - seed.center[1]) > 0.05);
      return { id: res.body.id, code: res.body.code, bbox: fc.bbox, members: fc.features.map((f) => f.id).sort((a, b) => a - b),
        parts: fc.features.map((f) => ({ id: f.id, centre: centre(f.geometry) })) };
    }
    assert.equal(res.status, 409, `POST /projects: ${JSON.stringify(res.body)}`);
  }
  throw new Error('no free parcels for a project');
}

before(async () => {
  stack = await startStack();
  const tok = await token('analyst');
  project = await makeProject(tok);
  // A contract kept with the project: the card lists it (attachments of projects, issue 12).
  const form = new FormData();
  form.append('file', new Blob(['%PDF-1.4\n%%EOF\n'], { type: 'application/pdf' }), '项目合同.pdf');
  form.append('category', 'contract');
  const res = await fetch(`${stack.url}/api/v1/projects/${project.id}/attachments`, { method: 'POST', headers: { Authorization: `Bearer ${tok}` }, body: form });
  assert.equal(res.status, 201, `POST project attachment: ${await res.text()}`);
});
after(async () => { await stack?.stop(); });

/** highlighted is the sorted asset ids the project layers render in the whole map. */
const highlighted = (page) => page.evaluate((layers) => {
  const m = window.__map;
  const ids = new Set(m.queryRenderedFeatures({ layers: layers.filter((l) => m.getLayer(l)) }).map((f) => Number(f.properties.id)));
  return [...ids].sort((a, b) => a - b);
}, LAYERS);

/**
 * checkZooms: at zoom 11 (the whole project in view) the project's layers render exactly its
 * members; at zoom 16, where the view holds a parcel or two, each member is rendered when the map
 * is on it and nothing else ever is, so that over the members' views they add up to the members.
 */
async function checkZooms(page, tag) {
  const [x0, y0, x1, y1] = project.bbox;
  const jump = async (center, zoom) => {
    await page.evaluate(({ center, zoom }) => window.__map.jumpTo({ center, zoom }), { center, zoom });
    await waitIdle(page);
  };
  await jump([(x0 + x1) / 2, (y0 + y1) / 2], 11);
  assert.deepEqual(await highlighted(page), project.members, 'zoom 11: the highlighted features are the project\'s members');
  await shot(page, `projects-${tag}-z11.png`);
  const seen = new Set();
  for (const [i, part] of project.parts.entries()) {
    await jump(part.centre, 16);
    const ids = await highlighted(page);
    assert.ok(ids.includes(part.id), `zoom 16 on member ${part.id}: rendered ${ids}`);
    for (const id of ids) {
      assert.ok(project.members.includes(id), `zoom 16: ${id} is highlighted but no member`);
      seen.add(id);
    }
    if (i === 0) await shot(page, `projects-${tag}-z16.png`);
  }
  assert.deepEqual([...seen].sort((a, b) => a - b), project.members, 'zoom 16: every member is highlighted where it lies');
}

for (const vp of VIEWPORTS) {
  test(`choosing a project in the 项目 tab highlights its assets (${vp.width}×${vp.height})`, async () => {
    const page = await openPage(stack, '', vp);
    await page.locator('#tab-projects').click();
    await page.locator('#proj-q').fill(project.code); // the demo city's own projects may fill the list
    const item = page.locator(`[data-project-id="${project.id}"]`);
    await item.waitFor();
    await item.click();
    await page.waitForFunction((id) => window.__map.getSource('project') && document.querySelector(`[data-project="${id}"]`), project.id);
    await waitIdle(page);
    assert.deepEqual(await highlighted(page), project.members, 'after the framing every member is highlighted');
    const inView = await page.evaluate((b) => window.__map.getBounds().contains([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2]), project.bbox);
    assert.ok(inView, 'the map frames the project');
    await shot(page, `projects-select-${vp.width}.png`);
    if (vp.width < 640) {
      await page.locator('#tab-projects').click(); // the sheet gave way to the map: bring the card back
      await page.locator(`[data-project="${project.id}"]`).waitFor();
      await page.waitForTimeout(400); // the sheet's rise (.2 s)
      await shot(page, `projects-card-${vp.width}.png`);
    }
    await page.locator('[data-test="project-card"] >> text=项目合同.pdf').waitFor();
    const card = await page.locator('[data-test="project-card"]').innerText();
    for (const text of [project.code, '浏览器测试盘活项目', '自然资源', '出让', '88.5 万元', '亩', '项目合同.pdf']) assert.ok(card.includes(text), `card shows ${text}: ${card}`);
    await page.evaluate(() => document.body.classList.remove('sheet-open')); // a phone's map in full for the zoom shots
    await checkZooms(page, String(vp.width));
    noProblems(page);
    await page.context().close();
  });

  test(`the asset panel's 所属项目 link opens the project (${vp.width}×${vp.height})`, async () => {
    const page = await openPage(stack, `#/map?a=${project.members[1]}`, vp);
    const link = page.locator('[data-test="asset-project"]');
    await link.waitFor();
    assert.ok((await link.innerText()).includes(project.code), 'the link names the project');
    await link.click();
    await page.waitForFunction((id) => window.__map.getSource('project') && document.querySelector(`[data-project="${id}"]`), project.id);
    await waitIdle(page);
    assert.deepEqual(await highlighted(page), project.members);
    await shot(page, `projects-from-asset-${vp.width}.png`);
    noProblems(page);
    await page.context().close();
  });
}

test('an analyst creates a project holding the selected asset', async () => {
  const page = await openPage(stack, `#/map?a=${spare.id}`, VIEWPORTS[0]);
  await signIn(page, 'analyst');
  await page.locator('[data-test="asset-code"]').waitFor();
  await page.locator('#tab-projects').click();
  await page.locator('#proj-new').click();
  await page.locator('#proj-new-code').fill('BT-UI-1');
  await page.locator('#proj-new-name').fill('界面新建项目');
  await page.locator('#proj-new-field').selectOption('water');
  await page.locator('#proj-new-expected_benefit').fill('12.5');
  assert.ok(await page.locator('#proj-new-selected').isChecked(), 'the selected asset is offered, ticked');
  await shot(page, 'projects-new-1366.png');
  await page.locator('#proj-new-submit').click();
  const card = page.locator('[data-test="project-card"] [data-test="project-code"]');
  await card.waitFor();
  assert.equal(await card.innerText(), 'BT-UI-1');
  const list = (await call('GET', `/api/v1/projects?q=BT-UI-1&asset=${spare.id}`)).body;
  assert.equal(list.total, 1, 'the new project holds the selected asset');
  assert.equal(list.projects[0].field, 'water');
  await waitIdle(page);
  assert.deepEqual(await highlighted(page), [spare.id]);
  await shot(page, 'projects-created-1366.png');
  noProblems(page);
  await page.context().close();
});
