// Browser tests of the five-group 盘活榜单 (board.js) and 目标管理 (targets.js): headless Chromium
// against the real `onemap serve` on a fresh demo city, with units, projects and approved reports
// inserted by SQL here. Screenshots land in artifacts/ (board-*.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startStack, openPage, shot, noProblems, signIn } from './harness.js';

let stack;
before(async () => {
  stack = await startStack();
  execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', stack.dbURL, '-c', FIXTURE], { stdio: 'pipe' });
});
after(async () => { await stack?.stop(); });

/**
 * FIXTURE gives every group units with projects (a department and an enterprise added) and
 * approved reports for October and November 2026 — figures from the codes, some left submitted
 * (not on the board) — so each group's board has rows, ties broken by 项目数 and code.
 */
const FIXTURE = `
INSERT INTO units (code, name, grp) VALUES ('BT-D1', '市自然资源和规划局', 'city'), ('BT-D2', '市文化和旅游局', 'city'),
  ('BT-E1', '咸宁城发集团', 'enterprise'), ('BT-E2', '咸宁高投集团', 'enterprise') ON CONFLICT DO NOTHING;
INSERT INTO projects (code, name, year, unit_code, field, mode)
SELECT 'BT-' || u.code || '-' || k, u.name || '盘活项目' || k, 2026, u.code, (ledger_fields())[1 + (u.n + k) % 10], 'lease'
FROM (SELECT code, name, row_number() OVER (PARTITION BY grp ORDER BY code) AS n FROM units) u, generate_series(1, 2) k
WHERE u.n <= 4;
INSERT INTO project_reports (project_id, month, state, quantity, quantity_unit, economic_benefit, social_benefit,
  treasury_income, fiscal_available, typical_case)
SELECT p.id, m, CASE WHEN abs(hashtext(p.code || m)) % 7 = 0 THEN 'submitted' ELSE 'approved' END,
  abs(hashtext(p.code)) % 300 / 10.0, CASE WHEN p.id % 2 = 0 THEN '亩' ELSE '平方米' END,
  abs(hashtext(p.code || m)) % 90000 / 100.0, '带动就业' || p.id % 40 || '人',
  abs(hashtext(p.code || m)) % 20000 / 100.0, abs(hashtext(p.code || m)) % 10000 / 100.0,
  CASE WHEN p.id % 3 = 0 THEN p.name || '：盘活闲置资产，形成稳定收益' ELSE '' END
FROM projects p, (VALUES (date '2026-10-01'), (date '2026-11-01')) AS months (m)
WHERE p.code LIKE 'BT-%';
`;

const GROUPS = { county: '县市组', district: '城区组', city: '市级组', zone: '园区组', enterprise: '国有企业组' };

const api = async (path) => {
  const res = await fetch(stack.url + path);
  assert.equal(res.status, 200, `GET ${path}`);
  return res.json();
};

const figure = (s) => Number(s.replace(/,/g, ''));

/** tableRows reads the board's table as {unit, rank, projects, economic, treasury, fiscal}. */
const tableRows = (page) => page.locator('#board-rows tbody tr').evaluateAll((trs) => trs.map((tr) => {
  const c = [...tr.cells].map((td) => td.textContent.trim());
  return { code: tr.dataset.unit, rank: c[0], unit: c[1], projects: c[2], quantity: c[3], economic: c[4], treasury: c[5], fiscal: c[6], cases: c[7] };
}));

/** settled waits until the board shows group's title for month, loaded. */
async function settled(page, month, group) {
  const [y, m] = month.split('-').map(Number);
  await page.waitForFunction(({ title }) => !document.querySelector('#board-screen').dataset.loading
    && document.querySelector('[data-test="board-title"]')?.textContent.includes(title), { title: `${y}年${m}月国有“三资”盘活榜单（${GROUPS[group]}）` });
}

/** sameAsAPI checks the table's rows against /api/v1/leaderboard's. */
async function sameAsAPI(page, month, group) {
  const board = await api(`/api/v1/leaderboard?month=${month}&group=${group}`);
  const rows = await tableRows(page);
  assert.equal(rows.length, board.rows.length, `${month} ${group}: a row per unit`);
  assert.ok(board.rows.some((r) => r.economic_benefit > 0), `${month} ${group}: the fixture gave it figures`);
  board.rows.forEach((r, i) => {
    const got = rows[i];
    assert.equal(got.code, r.unit_code, `${group} row ${i}`);
    assert.equal(got.rank, String(r.rank));
    assert.equal(got.unit, r.unit_name);
    assert.equal(figure(got.projects), r.projects);
    assert.equal(figure(got.economic), r.economic_benefit, `${r.unit_name} 经济效益`);
    assert.equal(figure(got.treasury), r.treasury_income);
    assert.equal(figure(got.fiscal), r.fiscal_available);
    assert.equal(got.cases, r.typical_cases.length ? r.typical_cases.join('；') : '—');
  });
  return board;
}

/** outside lists the board's controls and headings lying outside the window or clipping their text. */
const outside = (page) => page.evaluate(() => [...document.querySelectorAll('#board-screen .modal-head, #board-screen .board-controls *, #board-screen .board-head *, #board-screen h3')]
  .filter((e) => e.offsetParent)
  .filter((e) => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > innerWidth + 0.5 || r.top < 0 || e.scrollWidth > e.clientWidth + 1; })
  .map((e) => `${e.tagName}.${e.className}#${e.id}: ${e.textContent.trim().slice(0, 30)}`));

for (const [w, hgt] of [[1600, 1000], [1366, 768], [390, 844]]) {
  test(`榜单 at ${w}×${hgt}: five groups and two months equal the API, the XLSX downloads, a 12-month trend, nothing clipped`, { timeout: 240_000 }, async () => {
    const page = await openPage(stack, '#/dashboard', { width: w, height: hgt });
    const open = page.locator('#open-board');
    await open.waitFor();
    // The button sits beside the card's tabs, not over them.
    const [b, tabs] = await Promise.all([open.boundingBox(), page.locator('.card-tabs').boundingBox()]);
    const tabRight = await page.locator('.card-tabs [role="tab"]').last().evaluate((e) => e.getBoundingClientRect().right);
    assert.ok(b.x >= tabRight || b.y >= tabs.y + tabs.height, `五组榜单 (${JSON.stringify(b)}) clear of the tabs (right ${tabRight})`);
    await open.scrollIntoViewIfNeeded();
    await shot(page, `board-dashboard-${w}.png`);
    await open.click();
    await page.locator('#board-screen').waitFor();
    await page.locator('#board-month').fill('2026-11');
    await page.locator('#board-month').dispatchEvent('change');
    for (const g of Object.keys(GROUPS)) {
      await page.locator(`[data-group="${g}"]`).click();
      await settled(page, '2026-11', g);
      await sameAsAPI(page, '2026-11', g);
      assert.equal(await page.locator(`[data-group="${g}"]`).getAttribute('aria-pressed'), 'true');
    }
    await page.locator('#board-month').fill('2026-10');
    await page.locator('#board-month').dispatchEvent('change');
    await settled(page, '2026-10', 'enterprise');
    await sameAsAPI(page, '2026-10', 'enterprise');
    await page.locator('[data-group="county"]').click();
    await settled(page, '2026-10', 'county');
    const county = await sameAsAPI(page, '2026-10', 'county');
    // The trend: the group's total and its top units over the 12 months ending in October.
    const trend = await api('/api/v1/leaderboard/trend?group=county&to=2026-10&months=12');
    await page.waitForFunction(() => window.echarts?.getInstanceByDom(document.getElementById('board-trend'))?.getOption()?.series?.length > 0);
    const series = await page.evaluate(() => window.echarts.getInstanceByDom(document.getElementById('board-trend')).getOption().series.map((s) => ({ name: s.name, data: s.data })));
    assert.equal(series.length, 1 + Math.min(5, trend.units.length), 'the total and the top units');
    assert.deepEqual(series[0].data, trend.total, 'the total line');
    assert.equal(series[0].data[11], Math.round(county.rows.reduce((s, r) => s + r.economic_benefit, 0) * 100) / 100, 'October total = the board');
    assert.deepEqual(await outside(page), [], 'nothing outside the window or clipped');
    const table = await page.locator('#board-rows').evaluate((e) => ({ sw: e.scrollWidth, cw: e.clientWidth }));
    assert.ok(table.sw <= table.cw + 1, `the table fits its width: ${JSON.stringify(table)}`);
    await shot(page, `board-${w}.png`);
    if (w === 1600) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#board-xlsx').click()]);
      assert.equal(download.suggestedFilename(), 'leaderboard-2026-10-county.xlsx');
      const bytes = readFileSync(await download.path());
      assert.ok(bytes.length > 2000 && bytes.subarray(0, 2).toString() === 'PK', `an XLSX (${bytes.length} bytes)`);
      await page.locator('#board-trend').scrollIntoViewIfNeeded();
      await shot(page, 'board-1600-trend.png');
    }
    noProblems(page);
    await page.context().close();
  });
}

test('目标管理: an admin sets targets; the leader view shows actual / target per region and 工作领域', { timeout: 180_000 }, async () => {
  const page = await openPage(stack, '#/map', { width: 1366, height: 768 });
  await signIn(page, 'admin');
  await page.locator('#open-admin').click();
  await page.locator('#open-targets').click();
  await page.locator('#targets-screen').waitFor();
  const year = new Date().getFullYear();
  assert.equal(await page.locator('#targets-year').inputValue(), String(year), 'this year to start with');
  const first = page.locator('#targets-regions input[data-region]').first();
  await first.waitFor();
  const before = await api(`/api/v1/targets?year=${year}`);
  const region = await first.getAttribute('data-region');
  await first.fill('5000');
  await page.locator('input[data-field="natural_resources"][data-key="lead_unit"]').fill('市自然资源和规划局');
  await page.locator('input[data-field="natural_resources"][data-key="target"]').fill('1200');
  await page.locator('#targets-save').click();
  await page.locator('#targets-notice:not([hidden])').waitFor();
  const targets = await api(`/api/v1/targets?year=${year}`);
  // The demo has its own targets: the one typed is 5000, every other stays as it was.
  const want = new Map(before.regions.map((r) => [r.region_code, r.benefit]));
  want.set(region, 5000);
  assert.deepEqual(new Map(targets.regions.map((r) => [r.region_code, r.benefit])), want);
  assert.equal(targets.fields[0].lead_unit, '市自然资源和规划局');
  await shot(page, 'board-targets-admin.png');
  // A file that is not a workbook: the preview says why, nothing is set.
  await page.locator('#targets-file').setInputFiles({ name: 'x.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('not a workbook') });
  await page.locator('#targets-dry').click();
  await page.locator('#targets-report [role="alert"]').waitFor();
  await page.locator('#targets-screen [data-close]').click();
  page.problems = page.problems.filter((p) => !/422/.test(p)); // the refused preview above
  const progress = await api(`/api/v1/progress?year=${year}`);
  const benefit = progress.targets.find((p) => p.metric === 'benefit' && p.region_code === region);
  const natural = progress.fields.find((f) => f.field === 'natural_resources');
  assert.ok(benefit && natural && natural.target === 1200, JSON.stringify(progress));
  await page.locator('.route-btn[data-route="dashboard"]').click();
  await page.locator('#tab-targets').click();
  const cell = await page.locator(`#targets tr[data-region="${region}"] td[data-metric="benefit"]`).textContent();
  assert.ok(cell.replace(/,/g, '').endsWith(`(${Math.round(benefit.ratio * 100)}%)`), `benefit cell ${cell}`);
  const field = await page.locator('[data-test="field-targets"] tr[data-field="natural_resources"] td.target').textContent();
  assert.ok(field.replace(/,/g, '').endsWith(`(${Math.round(natural.ratio * 100)}%)`), `field cell ${field}`);
  await page.locator('[data-test="benefit-targets"]').scrollIntoViewIfNeeded();
  await shot(page, 'board-dashboard-targets.png');
  noProblems(page);
  await page.context().close();
});
