// Exports are the same whoever asks: a list exported signed out (built in the page) and signed in
// as a planner (GET /api/v1/export) is the same table cell by cell; a zone's GeoJSON export takes
// one request. The files land in artifacts/ to be looked at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { startStack, openPage, waitIdle, shot, ARTIFACTS, DEMO_PASSWORD, noProblems, signIn } from './harness.js';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { await stack?.stop(); });

const api = async (p) => {
  const res = await fetch(stack.url + p);
  assert.equal(res.status, 200, `GET ${p}`);
  return res.json();
};

/** unzip reads a ZIP's entries (stored or deflated) by name. */
function unzip(buf) {
  let end = buf.length - 22;
  while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--;
  const count = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  const out = {};
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(p + 10), size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28), extraLen = buf.readUInt16LE(p + 30), commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    out[name] = (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

const unxml = (s) => s.replace(/&#(x?)([0-9a-f]+);/gi, (_, x, n) => String.fromCodePoint(parseInt(n, x ? 16 : 10))).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
const texts = (s) => [...s.matchAll(/<t(?: [^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => unxml(m[1])).join('');
const colIndex = (ref) => [...ref.replace(/\d+/g, '')].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;

/** readXLSX parses a workbook: [{name, rows}] in order, cells as numbers or strings ('' empty). */
function readXLSX(file) {
  const z = unzip(readFileSync(file));
  const shared = [...(z['xl/sharedStrings.xml'] || '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => texts(m[1]));
  const rels = Object.fromEntries([...z['xl/_rels/workbook.xml.rels'].matchAll(/<Relationship [^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"/g)].map((m) => [m[1], m[2]]));
  return [...z['xl/workbook.xml'].matchAll(/<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"/g)].map(([, name, id]) => {
    const xml = z[`xl/${rels[id].replace(/^\/?xl\//, '')}`];
    const rows = [...xml.matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)].map(([, row]) => {
      const cells = [];
      for (const [, attrs, body] of row.matchAll(/<c ([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const ref = /r="([A-Z]+\d+)"/.exec(attrs)[1];
        const type = /t="(\w+)"/.exec(attrs)?.[1];
        const v = /<v>([\s\S]*?)<\/v>/.exec(body || '')?.[1];
        let val = '';
        if (type === 's') val = shared[Number(v)];
        else if (type === 'inlineStr') val = texts(body);
        else if (type === 'str') val = unxml(v ?? '');
        else if (v != null) val = Number(v);
        cells[colIndex(ref)] = val;
      }
      return Array.from(cells, (c) => c ?? '');
    });
    return { name: unxml(name), rows };
  });
}

/** readCSV parses RFC 4180 text after its BOM. */
function readCSV(file) {
  const s = readFileSync(file, 'utf8');
  assert.equal(s.charCodeAt(0), 0xfeff, 'the CSV starts with a BOM (Excel reads it as UTF-8)');
  const rows = [[]];
  let cell = '', quoted = false;
  for (let i = 1; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { rows.at(-1).push(cell); cell = ''; }
    else if (c === '\n') { rows.at(-1).push(cell); cell = ''; rows.push([]); }
    else if (c !== '\r') cell += c;
  }
  if (rows.at(-1).length === 0 && cell === '') rows.pop(); else rows.at(-1).push(cell);
  return rows;
}

/** download clicks an export button of the list and keeps the file under artifacts/ as name. */
async function download(page, fmt, name) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator(`#results [data-export="${fmt}"]`).click()]);
  const file = path.join(ARTIFACTS, name);
  copyFileSync(await dl.path(), file);
  return file;
}

/** requests records the URLs the page asks for while fn runs. */
async function requests(page, fn) {
  const urls = [];
  const on = (r) => urls.push(r.url());
  page.on('request', on);
  try { await fn(); } finally { page.off('request', on); }
  return urls;
}

/** importBack dry-runs an import of file as the analyst with on_conflict=update: its report. */
async function importBack(file) {
  const login = await fetch(`${stack.url}/api/v1/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'analyst', password: DEMO_PASSWORD }) });
  const { token } = await login.json();
  const auth = { Authorization: `Bearer ${token}` };
  const form = new FormData();
  form.set('file', new Blob([readFileSync(file)]), path.basename(file));
  form.set('on_conflict', 'update');
  form.set('dry_run', 'true');
  const res = await fetch(`${stack.url}/api/v1/imports`, { method: 'POST', headers: auth, body: form });
  assert.ok(res.status === 201 || res.status === 202, `import answers ${res.status}`);
  let rep = await res.json();
  while (rep.status === 'running') {
    await new Promise((r) => setTimeout(r, 500));
    rep = await (await fetch(`${stack.url}/api/v1/imports/${rep.id}`, { headers: auth })).json();
  }
  return rep;
}

const twoDecimals = (v) => v === '' || (typeof v === 'number' ? Math.round(v * 100) / 100 === v : /^\d+(\.\d{1,2})?$/.test(v));

/** checkTable checks a table's header, labels and figures against the API's answer. */
function checkTable(rows, want, kind) {
  const head = rows[0];
  for (const h of ['资产编号', '资产名称', '资产类型', '所属区县', '面积(亩)', '面积(平方米)', '盘活方式', '盘活状态', '中心经度', '中心纬度']) {
    assert.ok(head.includes(h), `header has ${h}: ${head}`);
  }
  assert.ok(!head.includes('WKT') && !head.includes('code') && !head.includes('kind'), `no WKT, no English header: ${head}`);
  const at = (r, h) => r[head.indexOf(h)];
  const byCode = new Map(want.map((a) => [a.code, a]));
  for (const r of rows.slice(1)) {
    const a = byCode.get(at(r, '资产编号'));
    assert.ok(a, `row ${at(r, '资产编号')} is in the list`);
    assert.equal(at(r, '资产类型'), kind[a.kind], 'kind by its Chinese label');
    assert.equal(at(r, '盘活状态'), '未盘活', 'stage by its Chinese label');
    assert.ok(twoDecimals(at(r, '面积(亩)')) && twoDecimals(at(r, '面积(平方米)')), `areas to 2 decimals: ${at(r, '面积(亩)')}`);
    assert.equal(Number(at(r, '面积(亩)')), Math.round(a.area_mu * 100) / 100);
    assert.equal(Number(at(r, '中心经度')), a.center[0], 'centre longitude (CGCS2000, 6 decimals)');
    assert.equal(Number(at(r, '中心纬度')), a.center[1]);
  }
  assert.equal(rows.length - 1, want.length, 'one row per asset');
}

test('the same filtered list exported signed out (page) and as a planner (server) is the same file', { timeout: 300_000 }, async () => {
  const want = (await api('/api/v1/assets?stage=idle&min_area_mu=20&limit=10000&sort=id')).items;
  const kind = (await api('/api/v1/export/columns')).columns.find((c) => c.name === 'kind').values;
  assert.ok(want.length > 20 && new Set(want.map((a) => a.kind)).size > 1, `a list of several kinds (${want.length})`);
  const page = await openPage(stack);
  // A person filters: stage 未盘活, at least 20 亩.
  await page.locator('#tab-filters').click();
  await page.locator('[data-filter="stage"][data-value="idle"]').click();
  await page.locator('#flt-min_area_mu').fill('20');
  await page.locator('#flt-min_area_mu').press('Enter');
  await page.waitForFunction((n) => document.querySelector('[data-test="total-count"]')?.textContent.replace(/\D/g, '') === String(n), want.length);
  await waitIdle(page);
  await shot(page, 'export-01-filtered-list.png');

  // Signed out: built in the page, from one request of the list API per file.
  const files = {};
  for (const fmt of ['xlsx', 'csv', 'geojson']) {
    const urls = await requests(page, async () => { files[`page.${fmt}`] = await download(page, fmt, `export-page.${fmt}`); });
    const lists = urls.filter((u) => /\/api\/v1\/assets(\?|\/)/.test(u));
    assert.equal(lists.length, 1, `one list request for the page's ${fmt}: ${lists}`);
    assert.ok(lists[0].includes('format=geojson') && lists[0].includes('stage=idle') && lists[0].includes('min_area_mu=20'), lists[0]);
    assert.ok(!urls.some((u) => u.includes('/api/v1/export?')), 'the page does not ask the server to export');
  }
  // Signed in as a planner: the server's /api/v1/export.
  await signIn(page, 'planner');
  for (const fmt of ['xlsx', 'csv']) {
    const urls = await requests(page, async () => { files[`server.${fmt}`] = await download(page, fmt, `export-server.${fmt}`); });
    assert.ok(urls.some((u) => u.includes('/api/v1/export?') && u.includes(`format=${fmt}`) && u.includes('stage=idle')), `server export: ${urls}`);
  }

  // XLSX: the same sheets (one per kind with rows, in Chinese), the same cells.
  const px = readXLSX(files['page.xlsx']), sx = readXLSX(files['server.xlsx']);
  assert.deepEqual(px.map((s) => s.name), sx.map((s) => s.name), 'the same sheets');
  const kinds = [...new Set(want.map((a) => a.kind))];
  assert.deepEqual(new Set(sx.map((s) => s.name)), new Set(kinds.map((k) => kind[k])), 'a sheet for each kind with rows, none empty');
  for (let i = 0; i < sx.length; i++) {
    const p = px[i].rows, s = sx[i].rows;
    assert.equal(p.length, s.length, `sheet ${sx[i].name}: rows`);
    for (let r = 0; r < s.length; r++) {
      const n = Math.max(p[r].length, s[r].length);
      for (let c = 0; c < n; c++) {
        assert.strictEqual(p[r][c] ?? '', s[r][c] ?? '', `sheet ${sx[i].name} row ${r + 1} column ${s[0][c]}`);
      }
    }
  }
  checkTable([sx[0].rows[0], ...sx.flatMap((s) => s.rows.slice(1))], want, kind);
  // CSV: the same text, cell by cell.
  const pc = readCSV(files['page.csv']), sc = readCSV(files['server.csv']);
  assert.equal(pc.length, sc.length, 'CSV rows');
  for (let r = 0; r < sc.length; r++) assert.deepEqual(pc[r], sc[r], `CSV row ${r + 1}`);
  checkTable(sc, want, kind);
  // The page's files import back unchanged (a dry run with on_conflict=update as the analyst).
  for (const f of [files['page.csv'], files['page.xlsx']]) {
    const rep = await importBack(f);
    assert.deepEqual([rep.rows_read, rep.rows_unchanged, rep.rows_updated, rep.rows_inserted, rep.rows_rejected], [want.length, want.length, 0, 0, 0],
      `${path.basename(f)} imports back with no change: ${JSON.stringify(rep).slice(0, 600)}`);
  }
  // GeoJSON: the same table as properties, with the geometry.
  const gj = JSON.parse(readFileSync(files['page.geojson'], 'utf8'));
  assert.equal(gj.features.length, want.length);
  assert.ok(gj.features.every((f) => /Polygon|Point/.test(f.geometry?.type) && f.properties['资产编号'] && f.properties['盘活状态'] === '未盘活'), 'features carry geometry and the Chinese table');
  noProblems(page);
  await page.context().close();
});

test('a zone\'s GeoJSON export takes one request, not one per asset', { timeout: 300_000 }, async () => {
  // The zone with the most assets.
  let best = null;
  for (const z of await api('/api/v1/zones')) {
    const { total } = await api(`/api/v1/zones/${encodeURIComponent(z.code)}/assets?limit=1&include_done=true`); // 园区全部资产
    if (!best || total > best.total) best = { zone: z, total };
  }
  assert.ok(best.total > 50, `a zone of many assets (${best.total})`);
  const page = await openPage(stack, '', { width: 1366, height: 768 });
  await page.locator('#tab-query').click();
  await page.locator('#q-zone').selectOption(best.zone.code);
  await page.locator('#q-zone-all').click();
  await page.locator('#results[data-type="zone"] tbody tr').first().waitFor();
  await waitIdle(page);
  await shot(page, 'export-02-zone-list.png');
  let file;
  const urls = await requests(page, async () => { file = await download(page, 'geojson', 'export-zone.geojson'); });
  const api_ = urls.filter((u) => u.includes('/api/v1/'));
  assert.equal(api_.filter((u) => /\/api\/v1\/assets\/\d+/.test(u)).length, 0, 'no request per asset');
  const lists = api_.filter((u) => u.includes(`/api/v1/zones/${encodeURIComponent(best.zone.code)}/assets`));
  assert.equal(lists.length, 1, `one request for the zone's ${best.total} assets: ${lists}`);
  const gj = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(gj.features.length, best.total, 'every asset of the zone');
  assert.ok(gj.features.every((f) => f.geometry && /Polygon|Point/.test(f.geometry.type) && f.properties['重叠比例'] != null && f.properties['中心经度']), 'geometry, overlap and centre on each');
  // Beyond the list API's cap the page pages: 25,000 features take three requests.
  const calls = await page.evaluate(async () => {
    const m = await import('/js/export.js');
    const seen = [];
    const list = await m.features({ fetchFeatures: async ({ limit, offset }) => {
      seen.push(offset ?? 0);
      const n = Math.max(0, Math.min(limit, 25000 - (offset ?? 0)));
      return { numberMatched: 25000, features: Array.from({ length: n }, (_, i) => ({ id: (offset ?? 0) + i, properties: { kind: 'land' } })) };
    } });
    return { seen, n: list.length };
  });
  assert.deepEqual(calls, { seen: [0, 10000, 20000], n: 25000 });
  noProblems(page);
  await page.context().close();
});

test('a drawn area exported signed out and as a planner is the same file, with its overlap', { timeout: 300_000 }, async () => {
  const page = await openPage(stack);
  await page.locator('#tab-query').click();
  await page.locator('[data-draw="rectangle"]').click();
  await page.waitForFunction(() => document.body.classList.contains('drawing'));
  const box = await page.locator('#map canvas').boundingBox();
  const listed = page.waitForResponse((r) => r.url().includes('/api/v1/assets?') && r.url().includes('within='));
  await page.mouse.click(box.x + box.width * 0.45, box.y + box.height * 0.2);
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.4, { steps: 5 });
  await page.mouse.click(box.x + box.width * 0.75, box.y + box.height * 0.6);
  const fc = await (await listed).json();
  assert.ok(fc.numberMatched > 5, `the area holds assets (${fc.numberMatched})`);
  await page.locator('#results[data-type="draw"] tbody tr').first().waitFor();
  await waitIdle(page);
  await shot(page, 'export-03-drawn-area.png');
  const pageFile = await download(page, 'csv', 'export-draw-page.csv');
  await signIn(page, 'planner');
  await page.locator('#results[data-type="draw"] [data-export="csv"]').waitFor();
  const urls = await requests(page, async () => { await download(page, 'csv', 'export-draw-server.csv'); });
  assert.ok(urls.some((u) => u.includes('/api/v1/export?') && u.includes('within=')), `server export of the area: ${urls}`);
  const pc = readCSV(pageFile), sc = readCSV(path.join(ARTIFACTS, 'export-draw-server.csv'));
  assert.ok(sc[0].includes('重叠面积(亩)') && sc[0].includes('重叠比例') && sc[0].at(-1) === '中心纬度', `header: ${sc[0]}`);
  assert.equal(sc.length - 1, fc.numberMatched, 'one row per asset in the area');
  assert.equal(pc.length, sc.length);
  for (let r = 0; r < sc.length; r++) assert.deepEqual(pc[r], sc[r], `CSV row ${r + 1}`);
  noProblems(page);
  await page.context().close();
});
