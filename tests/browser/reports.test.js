// Browser test of the monthly reports (issue 11, item 2): a 填报员 fills and submits a project's
// report, a 审核员 returns it with a reason, the reporter reads the reason, edits and submits
// again, the reviewer approves, and the reporter's form is then read-only; the API's state is
// checked after each step. At 1366×768 and 390×844 (one project each); the missing list of last
// month (overdue) per unit; the users screen offers the two roles and the unit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startStack, openPage, shot, DEMO_PASSWORD, noProblems, signIn } from './harness.js';

let stack;
let adminToken;
const projects = {};
const UNIT = '421221'; // 嘉鱼县, a county unit of the demo city

const sql = (q) => execFileSync('psql', ['-qAt', '-v', 'ON_ERROR_STOP=1', stack.dbURL, '-c', q], { encoding: 'utf8' }).trim();

async function call(method, path, body) {
  const res = await fetch(stack.url + path, { method, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${adminToken}` },
    body: body ? JSON.stringify(body) : undefined });
  const json = await res.json().catch(() => null);
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const month = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
const THIS_MONTH = month(new Date());

/** report is the project's report of this month as the API has it. */
async function report(code) {
  const { reports } = await call('GET', `/api/v1/projects/${projects[code]}/reports`);
  return reports.find((r) => r.month === THIS_MONTH);
}

before(async () => {
  stack = await startStack();
  const res = await fetch(`${stack.url}/api/v1/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }) });
  adminToken = (await res.json()).token;
  const year = new Date().getFullYear();
  for (const [code, name] of [['BT-001', '嘉鱼县闲置厂房出租'], ['BT-002', '嘉鱼县老粮站盘活'], ['BT-003', '嘉鱼县砂石特许经营']]) {
    projects[code] = Number(sql(`INSERT INTO projects (code, name, year, unit_code, field, mode) VALUES ('${code}', '${name}', ${year}, '${UNIT}', 'natural_resources', 'lease') RETURNING id`));
  }
  await call('POST', '/api/v1/users', { username: 'bt_reporter', display_name: '嘉鱼填报', role: 'reporter', unit_code: UNIT, password: 'Report-Test-2026' });
  await call('POST', '/api/v1/users', { username: 'bt_reviewer', display_name: '财政审核', role: 'reviewer', password: 'Report-Test-2026' });
  // The demo password (the harness signs in with it) and past the first sign-in's change.
  sql(`UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE username = 'admin'), must_change_password = false
       WHERE username IN ('bt_reporter', 'bt_reviewer')`);
});
after(async () => { await stack?.stop(); });

/** openReports signs user in on a new page and opens 月报 at the row of project code. */
async function openReports(user, viewport, code) {
  const page = await openPage(stack, '', viewport);
  await signIn(page, user);
  await page.locator('#open-reports').click();
  await page.locator(`#reports-screen [data-project="${code}"]`).waitFor();
  return page;
}

const rowOf = (page, code) => page.locator(`#reports-screen [data-project="${code}"]`);

/** back returns to the list and opens the row's action act. */
async function reopen(page, code, act) {
  await page.locator('#report-back').click();
  await rowOf(page, code).locator(`[data-action="${act}"]`).click();
  await page.locator('#report-form').waitFor();
}

const stateShown = (page, state) => page.locator(`#reports-screen .report-status [data-state="${state}"]`).waitFor();

for (const [viewport, code] of [[{ width: 1366, height: 768 }, 'BT-001'], [{ width: 390, height: 844 }, 'BT-002']]) {
  const w = viewport.width;
  test(`report submitted, returned, resubmitted and approved at ${w} px`, async () => {
    const rep = await openReports('bt_reporter', viewport, code);
    assert.equal(await rowOf(rep, code).locator('[data-state]').getAttribute('data-state'), 'none');
    await shot(rep, `reports-${w}-0-reporter-list.png`);
    await rowOf(rep, code).locator('[data-action="fill"]').click();
    await rep.locator('#report-stage').selectOption('done');
    await rep.locator('#report-quantity').fill('12.5');
    await rep.locator('#report-quantity_unit').selectOption('平方米');
    await rep.locator('#report-economic_benefit').fill('320');
    await rep.locator('#report-social_benefit').fill('带动就业 30 人');
    await rep.locator('#report-treasury_income').fill('300');
    await rep.locator('#report-fiscal_available').fill('120');
    await rep.locator('#report-typical_case').fill('闲置厂房整体出租给物流企业');
    await rep.locator('#report-save').click();
    await stateShown(rep, 'draft');
    let r = await report(code);
    assert.deepEqual([r.state, r.version, r.stage, r.quantity, r.quantity_unit, r.economic_benefit, r.fiscal_available],
      ['draft', 1, 'done', 12.5, '平方米', 320, 120]);
    await shot(rep, `reports-${w}-1-reporter-draft.png`);
    await rep.locator('#report-submit').click();
    await stateShown(rep, 'submitted');
    assert.equal(await rep.locator('#report-save').count(), 0, 'a submitted report is not edited');
    r = await report(code);
    assert.deepEqual([r.state, r.submitted_by_name], ['submitted', '嘉鱼填报']);

    const rev = await openReports('bt_reviewer', viewport, code);
    await rev.locator('#reports-badge:not([hidden])').waitFor();
    assert.ok(Number(await rev.locator('#reports-badge').textContent()) >= 1, 'the badge counts reports to review');
    await shot(rev, `reports-${w}-1-reviewer-list.png`);
    await rowOf(rev, code).locator('[data-action="review"]').click();
    assert.ok(await rev.locator('#report-economic_benefit').isDisabled(), 'a reviewer does not edit the figures');
    await rev.locator('#report-return').click();
    await rev.locator('#report-notice.error').waitFor(); // no reason, nothing sent
    assert.equal((await report(code)).state, 'submitted');
    await rev.locator('#report-reason').fill('入库收益与财政数据不符，请核实');
    await shot(rev, `reports-${w}-2-reviewer-return.png`);
    await rev.locator('#report-return').click();
    await stateShown(rev, 'returned');
    r = await report(code);
    assert.deepEqual([r.state, r.return_reason, r.reviewed_by_name], ['returned', '入库收益与财政数据不符，请核实', '财政审核']);

    await rep.locator('#report-back').click();
    await rowOf(rep, code).locator('.report-reason').waitFor();
    await rowOf(rep, code).locator('[data-action="fill"]').click();
    assert.match(await rep.locator('#report-returned').textContent(), /入库收益与财政数据不符/);
    await rep.locator('#report-treasury_income').fill('280');
    await shot(rep, `reports-${w}-3-reporter-returned.png`);
    await rep.locator('#report-submit').click();
    await stateShown(rep, 'submitted');
    r = await report(code);
    assert.deepEqual([r.state, r.treasury_income], ['submitted', 280]);

    await reopen(rev, code, 'review');
    await rev.locator('#report-approve').click();
    await stateShown(rev, 'approved');
    r = await report(code);
    assert.deepEqual([r.state, r.return_reason], ['approved', '']);

    await reopen(rep, code, 'view');
    await rep.locator('#report-lock').waitFor();
    for (const id of ['stage', 'quantity', 'economic_benefit', 'treasury_income', 'fiscal_available', 'typical_case']) {
      assert.ok(await rep.locator(`#report-${id}`).isDisabled(), `${id} is read-only once approved`);
    }
    assert.equal(await rep.locator('#report-save, #report-submit').count(), 0);
    assert.equal(await rep.locator('#report-treasury_income').inputValue(), '280');
    await shot(rep, `reports-${w}-4-reporter-approved.png`);
    noProblems(rep);
    noProblems(rev);
    await rep.context().close();
    await rev.context().close();
  });
}

test('last month: the projects without a report are listed per unit, overdue', async () => {
  const d = new Date();
  const last = month(new Date(d.getFullYear(), d.getMonth() - 1, 1));
  const page = await openReports('bt_reviewer', { width: 1366, height: 768 }, 'BT-003');
  await page.locator('#report-month').fill(last);
  if (last.slice(0, 4) === THIS_MONTH.slice(0, 4)) {
    const unit = page.locator(`#report-missing [data-unit="${UNIT}"]`);
    await unit.waitFor();
    assert.match(await unit.textContent(), /BT-003 嘉鱼县砂石特许经营/);
    assert.match(await page.locator('#report-missing h3').textContent(), new RegExp(`${last}-25`));
  }
  await shot(page, 'reports-1366-5-missing.png');
  noProblems(page);
  await page.context().close();
});

test('users screen: reviewer and reporter roles, a reporter\'s unit', async () => {
  const page = await openPage(stack, '', { width: 1366, height: 768 });
  await signIn(page, 'admin');
  await page.locator('#open-admin').click();
  await page.locator('#open-users').click();
  const row = page.locator('#users-screen [data-user="bt_reporter"]');
  await row.waitFor();
  assert.equal(await row.locator('[data-role-of="bt_reporter"]').inputValue(), 'reporter');
  assert.equal(await row.locator('[data-unit-of="bt_reporter"]').inputValue(), UNIT);
  const roles = await page.locator('#new-role option').allTextContents();
  assert.ok(roles.includes('审核员') && roles.includes('填报员'), roles.join());
  await page.locator('#new-username').fill('bt_reporter2');
  await page.locator('#new-role').selectOption('reporter');
  await page.locator('#new-unit').selectOption(UNIT);
  await page.locator('#user-create-submit').click();
  await page.locator('#users-screen [data-user="bt_reporter2"]').waitFor();
  assert.equal(sql(`SELECT unit_code FROM users WHERE username = 'bt_reporter2'`), UNIT);
  await shot(page, 'reports-1366-6-users.png');
  noProblems(page);
  await page.context().close();
});

test('an admin reaches 月报 from 系统管理 and may review there', async () => {
  const page = await openPage(stack, '', { width: 1366, height: 768 });
  await signIn(page, 'admin');
  assert.equal(await page.locator('.topbar #open-reports').count(), 1, 'one 月报 entry, in the admin menu');
  await page.locator('#open-admin').click();
  await page.locator('#admin-menu #open-reports').click();
  await rowOf(page, 'BT-003').waitFor();
  noProblems(page);
  await page.context().close();
});
