// First-paint benchmark of running OneMap servers: for each URL, N times in turn (so that machine
// noise falls on all alike), a fresh browser context opens the map (cold: empty HTTP cache) and
// opens it again (warm: a returning visit). It prints, per URL, the medians of the time from
// navigation to the first tile's data and to MapLibre's `load` (the first complete render with
// tiles, window.__mapLoadedAt), in ms.
//
//   node tests/browser/paint.mjs [--runs N] [--mbps M --rtt MS] URL [URL ...]
//
// --mbps/--rtt emulate a slower network through the DevTools protocol. Needs Debian's chromium
// (CHROMIUM overrides /usr/bin/chromium) and `npm ci` in tests/browser.
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: opt, positionals: urls } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '9' }, mbps: { type: 'string' }, rtt: { type: 'string', default: '20' } },
});
if (!urls.length) {
  console.error('usage: node tests/browser/paint.mjs [--runs N] [--mbps M --rtt MS] URL [URL ...]'); // eslint-disable-line no-console
  process.exit(2);
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking'] });

/** visit loads url in page and returns [first tile data, load] in ms from navigation. */
async function visit(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => window.__mapLoadedAt, null, { timeout: 60_000 });
  return page.evaluate(() => [window.__firstTileAt, window.__mapLoadedAt].map(Math.round));
}

const runs = Number(opt.runs);
const out = urls.map(() => ({ coldTile: [], cold: [], warm: [] }));
for (let i = 0; i < runs; i++) {
  for (const [j, url] of urls.entries()) {
    const ctx = await browser.newContext({ viewport: { width: 1600, height: 960 }, locale: 'zh-CN' });
    const page = await ctx.newPage();
    if (opt.mbps) {
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Network.enable');
      const bytes = Number(opt.mbps) * 1e6 / 8;
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: Number(opt.rtt), downloadThroughput: bytes, uploadThroughput: bytes });
    }
    // The time the first tile's data reaches the map, recorded by wrapping MapLibre's event firing.
    await page.addInitScript(() => {
      const hook = () => {
        if (!window.maplibregl) { setTimeout(hook, 5); return; }
        const fire = maplibregl.Map.prototype.fire;
        maplibregl.Map.prototype.fire = function (ev, ...rest) {
          if (ev?.type === 'data' && ev.tile && !window.__firstTileAt) window.__firstTileAt = performance.now();
          return fire.call(this, ev, ...rest);
        };
      };
      hook();
    });
    const [tile, cold] = await visit(page, url);
    await page.goto('about:blank');
    const [, warm] = await visit(page, url);
    out[j].coldTile.push(tile);
    out[j].cold.push(cold);
    out[j].warm.push(warm);
    await ctx.close();
  }
}
await browser.close();

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const [j, url] of urls.entries()) {
  const r = out[j];
  console.log(`${url}  cold: first tile ${median(r.coldTile)} ms, load ${median(r.cold)} ms [${r.cold.join(' ')}]  ` + // eslint-disable-line no-console
    `warm: load ${median(r.warm)} ms [${r.warm.join(' ')}]`);
}
