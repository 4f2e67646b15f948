// The layers panel (asset kinds and reference layers with their counts, colouring switch) and the
// map legend (each mode or stage with its count and area), both counted by the stats API under the
// current filters.
import { h, keepFocus, fill } from './dom.js';
import { t, label, num, mu } from './i18n.js';
import { state, emit, KINDS, REFERENCE } from './state.js';
import { api, latest } from './api.js';
import { colorsFor, valuesFor, KIND_COLORS, ZONE_COLOR, REGION_COLOR } from './layers.js';

const sum = (groups, key, field) => {
  const out = {};
  for (const g of groups) out[g[key]] = (out[g[key]] || 0) + (Number(g[field]) || 0);
  return out;
};

/** Legend keeps the layers panel and the map legend with their counts. */
export class Legend {
  constructor(panelEl, legendEl) {
    this.panelEl = panelEl;
    this.legendEl = legendEl;
    this.byKind = null;
    this.byColor = null;
    this.totals = null;
    this.error = null;
    /** extras add sections below the layer list (functions returning nodes), e.g. 预警. */
    this.extras = [];
    this.fetch = latest(async (signal) => {
      const f = state.filters;
      const [kinds, colours] = await Promise.all([
        api.stats('kind', { ...f, kind: [] }, { signal }),
        api.stats(state.colorBy, f, { signal }),
      ]);
      return { kinds, colours };
    });
  }

  /** load re-counts under the current filters and redraws. */
  async load() {
    try {
      const r = await this.fetch();
      if (!r) return;
      this.byKind = { count: sum(r.kinds.groups, 'kind', 'count'), area: sum(r.kinds.groups, 'kind', 'area_mu') };
      this.byColor = { by: state.colorBy, count: sum(r.colours.groups, state.colorBy, 'count'), area: sum(r.colours.groups, state.colorBy, 'area_mu') };
      this.totals = r.colours.totals;
      this.error = null;
    } catch (e) {
      this.error = e.message;
    }
    this.render();
  }

  toggle(key, kindCount) {
    const id = `lyr-${key}`;
    const on = state.layers.has(key);
    const color = KIND_COLORS[key] || (key === 'zone' ? ZONE_COLOR : REGION_COLOR);
    return h('label', { class: 'layer-toggle', for: id },
      h('input', {
        type: 'checkbox', id, checked: on, 'data-layer': key,
        onchange: (e) => {
          if (e.target.checked) state.layers.add(key); else state.layers.delete(key);
          emit('layers');
        },
      }),
      h('span', { class: `swatch swatch-${key}`, style: { '--c': color } }),
      h('span', { class: 'layer-name' }, key === 'zone' || key === 'region' ? t(`layer.${key}`) : label('kind', key)),
      kindCount != null ? h('span', { class: 'count', title: mu(this.byKind?.area[key] ?? 0) }, num(kindCount, 0)) : null);
  }

  colorSwitch() {
    return h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': t('layers.colorBy') }, ['mode', 'stage'].map((by) => h('label', {},
      h('input', { type: 'radio', name: 'color-by', value: by, checked: state.colorBy === by,
        onchange: () => { state.colorBy = by; emit('colorBy'); } }),
      h('span', {}, t(`colorBy.${by}`)))));
  }

  renderPanel() {
    const counts = this.byKind?.count || {};
    this.panelEl.replaceChildren(
      h('h3', {}, t('layers.assets')),
      h('div', { class: 'layer-list' }, KINDS.map((k) => this.toggle(k, this.byKind ? counts[k] || 0 : null))),
      h('h3', {}, t('layers.reference')),
      h('div', { class: 'layer-list' }, REFERENCE.map((k) => this.toggle(k))),
      h('h3', {}, t('layers.colorBy')),
      this.colorSwitch(),
      ...this.extras.map((f) => f()));
  }

  renderLegend() {
    const by = state.colorBy;
    const colors = colorsFor(by);
    const c = this.byColor?.by === by ? this.byColor : null;
    fill(this.legendEl,
      h('div', { class: 'legend-title' }, `${t('legend')} · ${t(by)}`),
      h('ul', {}, valuesFor(by).map((v) => h('li', { 'data-value': v },
        h('span', { class: 'swatch', style: { '--c': colors[v] } }),
        h('span', { class: 'legend-name' }, label(by === 'mode' ? 'mode.long' : by, v)),
        h('span', { class: 'count' }, c ? num(c.count[v] || 0, 0) : '…'),
        h('span', { class: 'area' }, c ? mu(c.area[v] || 0, 0) : '')))),
      h('div', { class: 'legend-total' },
        h('span', {}, t('legend.total')),
        h('span', { class: 'count', 'data-test': 'legend-total' }, this.totals ? num(this.totals.count, 0) : '…'),
        h('span', { class: 'area' }, this.totals ? mu(this.totals.area_mu, 0) : '')),
      // Below zoom 14 the tiles draw grid cells, not parcels: say what their colour and shade mean.
      h('div', { class: 'legend-cells', 'data-test': 'legend-cells' },
        h('span', { class: 'cell-ramp', 'aria-hidden': 'true' }, [0.2, 0.45, 0.7, 0.9].map((o) => h('i', { style: { opacity: String(o) } }))),
        h('span', {}, t('cells.legend')),
        h('small', {}, t('cells.hint'))),
      this.error ? h('div', { class: 'error' }, t('err.load')) : null);
  }

  render() {
    keepFocus(this.panelEl, () => this.renderPanel());
    this.renderLegend();
  }
}
