// Live data: the page follows the server's data version (a number raised by every committed write,
// carried by tile URLs as ?v=N). It hears of new versions from GET /api/v1/events (Server-Sent
// Events), from the answer to this page's own changes (OneMap-Data-Version, announced by api.js)
// and, when the stream is unavailable, by polling the same URL. On each new version it calls
// onVersion once: the map swaps its tile URL (MapLibre keeps the old tiles drawn until the new ones
// arrive, so nothing flickers), the list and the open panel reload.
import { getJSON, DATA_VERSION_EVENT } from './api.js';

const POLL_MS = 4000;

export class Live {
  /** version is the data version the page shows; onVersion(v) is called for each newer one. */
  constructor(version, onVersion) {
    this.version = Number(version) || 0;
    this.onVersion = onVersion;
    this.source = null;
    this.timer = 0;
    window.addEventListener(DATA_VERSION_EVENT, (e) => this.apply(e.detail));
  }

  /** apply takes a version heard from anywhere; only a newer one counts. */
  apply(v) {
    v = Number(v);
    if (!Number.isFinite(v) || v <= this.version) return;
    this.version = v;
    this.onVersion(v);
  }

  /** start listens to the event stream, falling back to polling while it is down. */
  start() {
    if (!window.EventSource) { this.poll(); return; }
    const es = new EventSource('/api/v1/events');
    this.source = es;
    es.addEventListener('version', (e) => {
      this.stopPolling();
      try { this.apply(JSON.parse(e.data).version); } catch { /* a malformed event is skipped */ }
    });
    // EventSource reconnects by itself (retry: 2 s); poll meanwhile. A 401 closes it for good.
    es.addEventListener('error', () => {
      if (es.readyState === EventSource.CLOSED) this.source = null;
      this.poll();
    });
  }

  poll() {
    if (this.timer) return;
    this.timer = setInterval(async () => {
      try {
        this.apply((await getJSON('/api/v1/events')).version);
      } catch { /* offline or signed out: try again */ }
    }, POLL_MS);
  }

  stopPolling() {
    clearInterval(this.timer);
    this.timer = 0;
  }
}

/** reloadResults refreshes the result list in place: rows stay on screen until the new ones come. */
export async function reloadResults(results) {
  const src = results.source;
  if (!src) return;
  if (!src.fetchAll) { await results.load(); return; }
  try {
    const res = await src.fetchAll();
    if (src !== results.source) return;
    src.items = res.items || [];
    src.totals = res.totals;
    await results.load();
  } catch { /* the list keeps what it had */ }
}

/** patchResults puts a changed asset (a change's answer) into the list's rows at once. */
export function patchResults(results, asset) {
  let hit = false;
  for (const list of [results.data?.items, results.source?.items]) {
    for (const [i, row] of (list || []).entries()) {
      if (row.id === asset.id) { list[i] = { ...row, ...pick(row, asset) }; hit = true; }
    }
  }
  if (hit) results.render();
}

/** pick takes from asset the fields a list row has. */
const pick = (row, asset) => Object.fromEntries(Object.keys(row).filter((k) => k in asset).map((k) => [k, asset[k]]));
