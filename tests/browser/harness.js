// Brings up what the browser tests run against: a fresh database on the test cluster with a demo
// city in it, the real `bin/onemap serve` on a free loopback port, and headless Chromium.
import { spawn, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import { deflateSync } from 'node:zlib';
import path from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../..');
export const ARTIFACTS = path.join(here, 'artifacts');
const BIN = path.join(ROOT, 'bin/onemap');
const log = (...a) => console.error('[harness]', ...a); // eslint-disable-line no-console

function withDB(base, name) {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

function psql(url, ...args) {
  return execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', url, ...args], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** loadCity fills the database with `onemap demo --parcels N` and the demo accounts (`onemap user demo`). */
function loadCity(url) {
  execFileSync(BIN, ['migrate', '-db', url], { stdio: 'pipe' });
  const n = process.env.ONEMAP_BROWSER_PARCELS || '2000';
  log(`loading demo city: onemap demo --parcels ${n}`);
  execFileSync(BIN, ['demo', '--parcels', n, '-db', url], { stdio: 'pipe', timeout: 300_000 });
  execFileSync(BIN, ['user', '-db', url, 'demo'], { stdio: 'pipe', timeout: 60_000 });
}

/** DEMO_PASSWORD is the password of the demo accounts admin, analyst, planner and leader. */
export const DEMO_PASSWORD = 'onemap-demo';

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return ~c >>> 0;
}

/** png is a 256×256 tile of one colour ([r, g, b] or, with alpha, [r, g, b, a]), made here so the tests need no image files. */
function png(rgba) {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(256, 0);
  ihdr.writeUInt32BE(256, 4);
  ihdr.set([8, rgba.length === 4 ? 6 : 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: 256 }, () => rgba).flat())]);
  const raw = Buffer.concat(Array.from({ length: 256 }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * TIANDITU_TILES are the receiver's stand-ins for Tianditu's layers: 矢量 a pale green close to the
 * map's own background (so other tests' screenshots look as before), 影像 a dark green, 注记 clear.
 */
export const TIANDITU_TILES = { vec: [226, 236, 214], img: [62, 92, 66], cva: [0, 0, 0, 0], cia: [0, 0, 0, 0] };

/**
 * startTileServer serves a local XYZ basemap (one colour per tile) and stands in for Tianditu's
 * WMTS (/tdt/{layer}_w/wmts?...&tk=KEY, a PNG per layer), counting the one and recording the other.
 */
async function startTileServer() {
  const tile = png([214, 228, 206]);
  const tdt = Object.fromEntries(Object.entries(TIANDITU_TILES).map(([k, c]) => [k, png(c)]));
  const counter = { hits: 0, tianditu: [] };
  const server = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    const m = u.pathname.match(/^\/tdt\/(\w+)_w\/wmts$/);
    if (m) {
      counter.tianditu.push({ path: m[1], layer: u.searchParams.get('LAYER'), tk: u.searchParams.get('tk'), z: u.searchParams.get('TILEMATRIX') });
      res.writeHead(tdt[m[1]] ? 200 : 404, { 'content-type': 'image/png', 'access-control-allow-origin': '*' }).end(tdt[m[1]]);
      return;
    }
    counter.hits++;
    res.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*' }).end(tile);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { template: `${origin}/xyz/{z}/{x}/{y}.png`, tianditu: `${origin}/tdt/{layer}_w/wmts`, counter, close: () => new Promise((r) => server.close(r)) };
}

/** TIANDITU_TEST_KEY is handed to the server so the tests can check the UI offers, not embeds, it. */
export const TIANDITU_TEST_KEY = 'onemap-test-key-7f3a';

/**
 * serve starts `onemap serve` with the local basemaps (tiles from startTileServer; the Tianditu
 * key only when asked, as Tianditu is then the default basemap of every page); extra flags come
 * last and win.
 */
function serve(url, tiles, extra = [], tianditu = false) {
  return new Promise((resolve, reject) => {
    const key = tianditu ? ['-tianditu-key', TIANDITU_TEST_KEY] : [];
    const proc = spawn(BIN, ['serve', '-db', url, '-listen', '127.0.0.1:0', '-basemap-url', tiles.template,
      '-tianditu-url', tiles.tianditu, ...key, ...extra],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`onemap serve did not start:\n${out}`)), 60_000);
    const onData = (b) => {
      out += b;
      const m = out.match(/addr=(127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: `http://${m[1]}`, output: () => out });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`onemap serve exited ${code}:\n${out}`)); });
  });
}

/**
 * startStack starts database, server and browser; with { tianditu: true } the server has a
 * Tianditu key (TIANDITU_TEST_KEY), so pages open on the stand-in Tianditu basemap; with
 * { serve: false } no server nor basemap server is started (a page opened from disk).
 */
export async function startStack({ tianditu = false, serve: serving = true } = {}) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const base = process.env.ONEMAP_TEST_DATABASE_URL || process.env.ONEMAP_DATABASE_URL || 'postgres://postgres@127.0.0.1:55432/onemap?sslmode=disable';
  const name = `onemap_browser_${process.pid}_${Date.now() % 1e6}`;
  const admin = withDB(base, 'postgres');
  psql(admin, '-c', `CREATE DATABASE ${name}`);
  const dbURL = withDB(base, name);
  const stops = [async () => psql(admin, '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)];
  const stop = async () => { for (const s of stops.reverse()) await s().catch((e) => log('cleanup:', e.message)); };
  try {
    loadCity(dbURL);
    if (!serving) return { dbURL, browser: await launch(stops), stop };
    const tiles = await startTileServer();
    stops.push(tiles.close);
    const server = await serve(dbURL, tiles, [], tianditu);
    stops.push(async () => { server.proc.removeAllListeners('exit'); server.proc.kill('SIGTERM'); });
    const { url } = server;
    const browser = await launch(stops);
    // another server on the same database with other settings (stopped with the stack)
    const serveAlso = async (extra) => {
      const other = await serve(dbURL, tiles, extra, tianditu);
      stops.push(async () => { other.proc.removeAllListeners('exit'); other.proc.kill('SIGTERM'); });
      return other.url;
    };
    // tianditu() is every request the Tianditu receiver has had: {path, layer, tk, z}.
    return { url, dbURL, browser, stop, serveAlso, basemapHits: () => tiles.counter.hits, tianditu: () => tiles.counter.tianditu };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** launch starts headless Chromium, to be closed with the stack. */
async function launch(stops) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking'],
  });
  stops.push(() => browser.close());
  return browser;
}

/**
 * newPage opens a page in a new context (contextOptions added to Playwright's), recording console
 * errors, page errors and failed requests into page.problems.
 */
export async function newPage(stack, viewport, contextOptions = {}) {
  const context = await stack.browser.newContext({ viewport, acceptDownloads: true, locale: 'zh-CN', ...contextOptions });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (!/ERR_ABORTED/.test(r.failure()?.errorText || '')) page.problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => { if (r.status() >= 400) page.problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  return page;
}

/**
 * openPage opens the UI in a new context (contextOptions added to Playwright's, e.g. an emulated
 * geolocation), recording console errors, page errors and failed requests into page.problems.
 */
export async function openPage(stack, hash = '', viewport = { width: 1600, height: 960 }, contextOptions = {}) {
  const page = await newPage(stack, viewport, contextOptions);
  await page.goto(`${stack.url}/${hash}`);
  try {
    await waitIdle(page);
  } catch (e) {
    e.message += `\npage problems:\n${page.problems.join('\n')}`;
    throw e;
  }
  return page;
}

/** waitIdle waits until the map exists, has loaded its style and has no tiles or moves pending. */
export async function waitIdle(page, timeout = 20_000) {
  await page.waitForFunction(() => window.__map && document.body.classList.contains('ready'), null, { timeout });
  await page.evaluate(() => new Promise((resolve) => {
    const m = window.__map;
    const check = () => (m.loaded() && !m.isMoving() ? resolve() : m.once('idle', check));
    setTimeout(check, 50);
  }));
}

/** shot saves a screenshot under artifacts/. */
export async function shot(page, name) {
  const file = path.join(ARTIFACTS, name);
  await page.screenshot({ path: file });
  return file;
}

/** noProblems asserts the page logged no console errors, page errors or failed requests. */
export function noProblems(page) {
  const real = page.problems.filter((p) => !/GPU stall|GL Driver/.test(p));
  assert.deepEqual(real, [], 'console errors, page errors or failed requests');
}

/**
 * signIn uses the 登录 control of the top bar with a demo account and waits for 退出 (on a phone
 * the user's name gives way, so the name is not what tells a signed-in bar).
 */
export async function signIn(page, username) {
  await page.locator('#login').click();
  await page.locator('#login-user').fill(username);
  await page.locator('#login-pass').fill(DEMO_PASSWORD);
  await page.locator('#login-submit').click();
  await page.locator('#logout').waitFor({ state: 'visible' });
}
