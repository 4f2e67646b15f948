// 预警: the top bar's badge (the open warnings in the user's region scope), the list of them by kind
// (dated kinds in 30/60/90-day bands; a row frames its asset on the map and opens it), and the
// map layer 预警 (warned assets as red or orange markers by urgency), all from /api/v1/warnings and
// kept current by the event stream's "warnings" event.
import { getJSON } from './api.js';
import { h, fill, $ } from './dom.js';
import { t, num } from './i18n.js';
import { flyToGeometry } from './map.js';

/** KINDS are the warning kinds in the order the list shows them. */
export const KINDS = ['land_fee_due', 'land_recovery', 'licence_expiring', 'lease_expiring', 'concession_expiring',
  'report_missing', 'building_vacant', 'idle_unassigned'];
/** BANDS split the dated kinds by days left: passed, 30, 60 and 90 days. */
const BANDS = [['overdue', -Infinity, -1], ['30', 0, 30], ['60', 31, 60], ['90', 61, 90]];
const UNDATED = new Set(['idle_unassigned']);
/** URGENT and SOON colour the markers: fires within 30 days (or passed), within 90. */
export const URGENT = '#e03131';
export const SOON = '#f76707';
const PAGE = 200;
const LAYER = 'warnings-point';
const STORE = 'onemap.warnLayer';

const bandOf = (days) => BANDS.find(([, lo, hi]) => days >= lo && days <= hi)?.[0] ?? '90';

/** daysText says how far off a warning's date is, in the page's language. */
function daysText(w) {
  if (UNDATED.has(w.kind)) return '';
  if (w.days > 0) return t('warn.days.left', { n: w.days });
  return w.days === 0 ? t('warn.days.today') : t('warn.days.past', { n: -w.days });
}

/** box is a bbox as a GeoJSON polygon, for flyToGeometry. */
const box = ([x0, y0, x1, y1]) => ({ type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });

/** Warnings keeps the badge, the list and the map layer. */
export class Warnings {
  /** button is the top bar's 预警 button; onAsset(id) opens an asset's panel. */
  constructor(map, { button, onAsset }) {
    this.map = map;
    this.button = button;
    this.onAsset = onAsset;
    this.counts = null;
    this.total = null;
    this.layerOn = localStorage.getItem(STORE) === '1';
    this.pages = {};
    this.list = h('section', { class: 'warn-list', id: 'warnings-list', role: 'dialog', 'aria-labelledby': 'warnings-title', hidden: true });
    document.body.append(this.list);
    button.onclick = () => (this.list.hidden ? this.open() : this.close());
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && !this.list.hidden) this.close(); });
  }

  /** listen reloads on each "warnings" event of the page's event stream. */
  listen(source) {
    source?.addEventListener('warnings', () => this.load());
  }

  /** load reads the counts (and, when shown, the list and the layer) afresh. */
  async load() {
    try {
      const res = await getJSON('/api/v1/warnings', new URLSearchParams({ limit: 1 }));
      this.counts = res.counts;
      this.total = res.total;
    } catch {
      this.counts = null;
      this.total = null;
    }
    this.pages = {};
    this.renderBadge();
    if (!this.list.hidden) this.renderList();
    if (this.layerOn) this.loadLayer();
    this.onChange?.();
  }

  renderBadge() {
    const n = this.total;
    this.button.classList.toggle('warn-some', n > 0);
    this.button.title = `${t('warn.title')}：${n == null ? '—' : num(n, 0)}`;
    this.button.setAttribute('aria-label', this.button.title);
    fill(this.button, h('span', { class: 'warn-word' }, t('warn.badge')),
      // Ungrouped: the badge is a count at a glance, and every pixel of the top bar counts.
      h('span', { class: 'warn-count', 'data-test': 'warn-count' }, n == null ? '…' : String(n)));
  }

  open() {
    this.list.hidden = false;
    this.button.setAttribute('aria-expanded', 'true');
    this.renderList();
  }

  close() {
    this.list.hidden = true;
    this.button.setAttribute('aria-expanded', 'false');
  }

  renderList() {
    const kinds = KINDS.filter((k) => this.counts?.[k] > 0);
    fill(this.list,
      h('header', { class: 'warn-head' },
        h('h2', { id: 'warnings-title' }, `${t('warn.title')} · ${this.total == null ? '—' : num(this.total, 0)}`),
        h('button', { type: 'button', class: 'icon-btn', 'aria-label': t('panel.close'), onclick: () => this.close() }, '×')),
      h('div', { class: 'warn-body' },
        kinds.length ? kinds.map((k) => this.group(k)) : h('p', { class: 'muted' }, t('warn.none'))));
  }

  /** group is one kind's collapsible section; its rows load when it opens. */
  group(kind) {
    const rows = h('div', { class: 'warn-rows' });
    const details = h('details', { class: 'warn-group', 'data-kind': kind, open: Boolean(this.pages[kind]) },
      h('summary', {}, h('span', {}, t(`warn.${kind}`)), h('span', { class: 'count' }, num(this.counts[kind], 0))),
      rows);
    const show = async () => {
      if (!this.pages[kind]) {
        fill(rows, h('p', { class: 'muted' }, t('panel.loading')));
        try {
          this.pages[kind] = await getJSON('/api/v1/warnings', new URLSearchParams({ kind, limit: PAGE }));
        } catch (e) {
          fill(rows, h('p', { class: 'error' }, `${t('err.load')}：${e.message}`));
          return;
        }
      }
      fill(rows, this.rows(kind, this.pages[kind]));
    };
    details.addEventListener('toggle', () => { if (details.open) show(); });
    if (details.open) show();
    return details;
  }

  /** rows lists a kind's warnings, dated kinds under their bands. */
  rows(kind, page) {
    const row = (w) => h('button', { type: 'button', class: 'warn-row', 'data-test': 'warn-row', 'data-asset': w.asset_id ?? '',
      title: w.title, onclick: () => this.go(w) },
      h('span', { class: 'warn-dot', style: { '--c': w.days <= 30 ? URGENT : SOON } }),
      h('span', { class: 'warn-name' }, `${w.detail?.code ?? ''} ${w.detail?.name ?? ''}`),
      h('span', { class: 'warn-days' }, daysText(w)));
    const more = page.total > page.warnings.length ? h('p', { class: 'muted' }, t('warn.more', { n: num(page.warnings.length, 0), total: num(page.total, 0) })) : null;
    if (UNDATED.has(kind)) return [page.warnings.map(row), more];
    return [BANDS.map(([band]) => {
      const ws = page.warnings.filter((w) => bandOf(w.days) === band);
      return ws.length ? [h('h4', { class: 'warn-band', 'data-band': band }, t(`warn.band.${band}`)), ws.map(row)] : null;
    }), more];
  }

  /** go frames a warning's asset (or project) on the map and opens the asset; the list steps
   * aside (reopened, it shows the same groups). */
  go(w) {
    this.close();
    if (w.asset_id != null) this.onAsset(w.asset_id);
    else if (w.bbox) flyToGeometry(this.map, box(w.bbox));
  }

  /** layerToggle is the layer list's 预警 switch with its two colours. */
  layerToggle() {
    const swatch = (c, key) => h('span', { class: 'warn-key' }, h('span', { class: 'warn-dot', style: { '--c': c } }), t(key));
    return h('div', { class: 'warn-layers' }, h('h3', {}, t('warn.layers')),
      h('div', { class: 'layer-list' },
        h('label', { class: 'layer-toggle', for: 'lyr-warnings' },
          h('input', { type: 'checkbox', id: 'lyr-warnings', checked: this.layerOn, 'data-layer': 'warnings',
            onchange: (e) => this.setLayer(e.target.checked) }),
          h('span', { class: 'swatch', style: { '--c': URGENT } }),
          h('span', { class: 'layer-name' }, t('warn.layer')),
          h('span', { class: 'count' }, this.total == null ? '' : num(this.total, 0))),
        h('div', { class: 'warn-keys' }, swatch(URGENT, 'warn.key.urgent'), swatch(SOON, 'warn.key.soon'))));
  }

  setLayer(on) {
    this.layerOn = on;
    localStorage.setItem(STORE, on ? '1' : '0');
    if (on) this.loadLayer();
    else if (this.map.getLayer(LAYER)) this.map.setLayoutProperty(LAYER, 'visibility', 'none');
  }

  /** loadLayer fetches the warned assets' points and shows them above the assets. */
  async loadLayer() {
    let data;
    try {
      data = await getJSON('/api/v1/warnings/geojson');
    } catch {
      return;
    }
    const src = this.map.getSource('warnings');
    if (src) {
      src.setData(data);
    } else {
      this.map.addSource('warnings', { type: 'geojson', data });
      this.map.addLayer({ id: LAYER, type: 'circle', source: 'warnings', paint: {
        'circle-color': ['case', ['<=', ['get', 'days'], 30], URGENT, SOON],
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 3, 14, 7],
        'circle-stroke-color': '#fff', 'circle-stroke-width': 1.2,
      } });
    }
    if (this.layerOn) this.map.setLayoutProperty(LAYER, 'visibility', 'visible');
    $('#lyr-warnings')?.toggleAttribute('checked', this.layerOn);
  }
}
