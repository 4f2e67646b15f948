// Browser tests of attachments (issue 12): an analyst uploads a photo and a PDF through the asset
// panel; both appear (the photo in the strip with its thumbnail loaded, the PDF in the document
// list), the photo opens full size, and the PDF downloads under its Chinese name — on a laptop
// and on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, openPage, shot, noProblems, signIn } from './harness.js';

let stack;
let ids; // two land parcels, one per viewport

const VIEWPORTS = [{ width: 1366, height: 768 }, { width: 390, height: 844 }];
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

before(async () => {
  stack = await startStack();
  const res = await fetch(`${stack.url}/api/v1/assets?kind=land&limit=2&sort=code`);
  ids = (await res.json()).items.map((a) => a.id);
  assert.equal(ids.length, 2, 'two land parcels to attach files to');
});
after(async () => { await stack?.stop(); });

/** jpeg draws a small picture on a canvas in the page and answers it as JPEG bytes. */
async function jpeg(page) {
  const b64 = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 640;
    c.height = 480;
    const g = c.getContext('2d');
    const grad = g.createLinearGradient(0, 0, 640, 480);
    grad.addColorStop(0, '#2f7d32');
    grad.addColorStop(1, '#f2c94c');
    g.fillStyle = grad;
    g.fillRect(0, 0, 640, 480);
    g.fillStyle = '#0b3d91';
    g.fillRect(220, 160, 200, 160);
    return c.toDataURL('image/jpeg', 0.9).split(',')[1];
  });
  return Buffer.from(b64, 'base64');
}

/** upload chooses a file, a category and a note in the panel's form and sends it. */
async function upload(page, file, category, note) {
  const form = page.locator('[data-test="att-form"]');
  await form.locator('input[type=file]').setInputFiles(file);
  await form.locator('select[name=category]').selectOption(category);
  await form.locator('input[name=note]').fill(note);
  await form.locator('button[type=submit]').click();
}

/** loaded tells whether every image the locator finds has been decoded. */
const loaded = (loc) => loc.evaluateAll((imgs) => imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0));

for (const [i, vp] of VIEWPORTS.entries()) {
  test(`an analyst attaches a photo and a PDF in the asset panel (${vp.width}×${vp.height})`, async () => {
    const page = await openPage(stack, `#/map?a=${ids[i]}`, vp);
    await signIn(page, 'analyst');
    const block = page.locator('[data-test="attachments"]');
    await block.waitFor();
    await upload(page, { name: '现场照片.jpg', mimeType: 'image/jpeg', buffer: await jpeg(page) }, 'photo', '东侧入口');
    const thumb = block.locator('[data-test="att-photos"] img');
    await thumb.first().waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-test="att-photos"] img')].every((x) => x.complete && x.naturalWidth > 0));
    assert.ok(await loaded(thumb), 'the thumbnail loads');
    await upload(page, { name: '评估报告.pdf', mimeType: 'application/pdf', buffer: PDF }, 'appraisal', '2026 年评估');
    const link = block.locator('[data-test="att-docs"] [data-test="att-download"]');
    await link.first().waitFor();
    assert.equal(await link.first().innerText(), '评估报告.pdf');
    assert.match(await block.locator('[data-test="att-docs"] li').first().innerText(), /评估报告[\s\S]*analyst/);
    assert.ok(!(await block.innerText()).includes('null'), 'no stray "null" in the section');
    await block.scrollIntoViewIfNeeded();
    await shot(page, `attachments-panel-${vp.width}.png`);

    const [download] = await Promise.all([page.waitForEvent('download'), link.first().click()]);
    assert.equal(download.suggestedFilename(), '评估报告.pdf');
    const chunks = [];
    for await (const c of await download.createReadStream()) chunks.push(c);
    assert.deepEqual(Buffer.concat(chunks), PDF, 'the download is the uploaded file');

    await thumb.first().click();
    const full = page.locator('[data-test="att-lightbox"] img');
    await full.waitFor();
    await page.waitForFunction(() => document.querySelector('[data-test="att-lightbox"] img')?.naturalWidth === 640);
    await shot(page, `attachments-photo-${vp.width}.png`);
    await page.keyboard.press('Escape');
    assert.equal(await full.count(), 0, 'Escape closes the picture');

    const asset = await page.evaluate((id) => fetch(`/api/v1/assets/${id}`).then((r) => r.json()), ids[i]);
    assert.equal(asset.attachments, 2, 'the asset counts its two attachments (附件数)');
    noProblems(page);
    await page.context().close();
  });
}

test('a reader sees the attachments but no upload', async () => {
  const page = await openPage(stack, `#/map?a=${ids[0]}`, VIEWPORTS[0]);
  const block = page.locator('[data-test="attachments"]');
  await block.locator('[data-test="att-photos"] img').first().waitFor();
  assert.equal(await block.locator('[data-test="att-form"]').count(), 0, 'no upload for a reader');
  noProblems(page);
  await page.context().close();
});
