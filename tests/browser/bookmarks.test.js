// Browser test of 书签 (issue 13 item 5): an analyst saves the current view (camera, layers,
// filters) and gets it back after moving away; an admin's shared bookmark shows to the analyst
// under 共享书签, without a delete button. Screens at 1366×768 and 390×844.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, openPage, shot, noProblems, signIn, waitIdle } from './harness.js';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { await stack?.stop(); });

const hashParams = (page) => page.evaluate(() => Object.fromEntries(new URLSearchParams(location.hash.split('?')[1] || '')));

async function openMenu(page) {
  await page.locator('#bm-open').click();
  await page.locator('#bm-menu:not([hidden]) #bm-save').waitFor();
}

test('bookmarks: a saved view comes back; an admin\'s shared one shows to everyone', async () => {
  const admin = await openPage(stack, '#/map?c=114.32,29.84&z=13', { width: 1366, height: 768 });
  await signIn(admin, 'admin');
  await openMenu(admin);
  await admin.locator('#bm-name').fill('咸宁高新区');
  await admin.locator('#bm-share').check();
  await admin.locator('#bm-save').click();
  await admin.locator('#bm-menu li[data-bookmark]', { hasText: '咸宁高新区' }).waitFor();
  noProblems(admin);
  await admin.context().close();

  const page = await openPage(stack, '#/map?c=114.2,29.7&z=12&l=land,zone,region&stage=idle', { width: 1366, height: 768 });
  await signIn(page, 'analyst');
  await openMenu(page);
  const shared = page.locator('#bm-menu li[data-bookmark]', { hasText: '咸宁高新区' });
  await shared.waitFor();
  assert.equal(await shared.locator('.bm-del').count(), 0, 'an analyst cannot delete a shared bookmark');
  await page.locator('#bm-name').fill('闲置土地');
  await page.locator('#bm-save').click();
  const mine = page.locator('#bm-menu li[data-bookmark]', { hasText: '闲置土地' });
  await mine.waitFor();
  await shot(page, 'bookmarks-menu-1366.png');
  // away: another place, every layer, no filter
  await page.locator('#bm-open').click();
  await page.evaluate(() => { location.hash = '#/map?c=113.9,29.5&z=9'; });
  await page.waitForFunction(() => Math.abs(window.__map.getZoom() - 9) < 0.01);
  await waitIdle(page);
  assert.equal((await hashParams(page)).stage, undefined);
  await openMenu(page);
  await mine.locator('.bm-go').click();
  await page.waitForFunction(() => Math.abs(window.__map.getZoom() - 12) < 0.01);
  await waitIdle(page);
  const c = await page.evaluate(() => window.__map.getCenter().toArray());
  assert.ok(Math.abs(c[0] - 114.2) < 1e-4 && Math.abs(c[1] - 29.7) < 1e-4, `centre ${c}`);
  await page.waitForFunction(() => /stage=idle/.test(location.hash));
  const p = await hashParams(page);
  assert.equal(p.stage, 'idle', 'the filter comes back');
  assert.equal(p.l, 'land,zone,region', 'the layers come back');
  assert.equal(await page.locator('#layers-panel input[type="checkbox"]:checked').count() >= 1, true);
  await shot(page, 'bookmarks-applied-1366.png');
  noProblems(page);
  await page.context().close();
});

for (const size of [{ width: 1600, height: 1000, tag: 'wide' }, { width: 390, height: 844, tag: 'phone' }]) {
  test(`bookmarks at ${size.width}×${size.height}: the menu opens within the screen`, async () => {
    const page = await openPage(stack, '#/map', { width: size.width, height: size.height });
    await signIn(page, 'analyst');
    await openMenu(page);
    const box = await page.locator('#bm-menu').boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= size.width && box.y >= 0 && box.y + box.height <= size.height, `menu at ${JSON.stringify(box)}`);
    await shot(page, `bookmarks-menu-${size.tag}.png`);
    noProblems(page);
    await page.context().close();
  });
}
