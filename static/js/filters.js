// The filter panel: region, zone, kind, stage, mode, land status, area range and text search.
// Every change updates state.filters and emits 'filters'; main.js applies them to map and list.
import { h, $, debounce, keepFocus } from './dom.js';
import { t, label } from './i18n.js';
import { state, emit, KINDS, STAGES, MODES, LAND_STATUSES, emptyFilters, activeFilterCount } from './state.js';
import { STAGE_COLORS, MODE_COLORS, KIND_COLORS } from './layers.js';

function chips(key, values, text, colors) {
  const f = state.filters;
  return h('div', { class: 'chips', role: 'group', 'aria-labelledby': `flt-${key}-label` }, values.map((v) => {
    const on = f[key].includes(v);
    return h('button', {
      type: 'button', class: 'chip-toggle', 'aria-pressed': String(on), 'data-filter': key, 'data-value': v,
      onclick: () => {
        f[key] = on ? f[key].filter((x) => x !== v) : [...f[key], v];
        emit('filters');
      },
    }, colors ? h('span', { class: 'dot', style: { background: colors[v] } }) : null, text(v));
  }));
}

const field = (key, titleKey, control) => h('div', { class: 'field' },
  h('div', { class: 'field-label', id: `flt-${key}-label` }, t(titleKey)), control);

/** FilterPanel draws the filter controls into el and keeps them in step with the state. */
export class FilterPanel {
  constructor(el, { regions, zones }) {
    this.el = el;
    this.regions = regions;
    this.zones = zones;
    this.setText = debounce((v) => { state.filters.q = v; emit('filters'); }, 350);
    this.setArea = debounce((k, v) => { state.filters[k] = v; emit('filters'); }, 500);
  }

  zoneSelect() {
    const f = state.filters;
    const byRegion = new Map();
    for (const z of this.zones) {
      const r = this.regions.find((x) => x.code === z.region_code)?.name || '';
      if (!byRegion.has(r)) byRegion.set(r, []);
      byRegion.get(r).push(z);
    }
    return h('select', {
      id: 'flt-zone', 'aria-labelledby': 'flt-zone-label',
      onchange: (e) => { f.zone = e.target.value ? [e.target.value] : []; emit('filters'); },
    }, h('option', { value: '' }, t('any')),
    [...byRegion].map(([r, zs]) => h('optgroup', { label: r || '—' },
      zs.map((z) => h('option', { value: z.code, selected: f.zone[0] === z.code }, z.name)))));
  }

  areaInput(k, ph) {
    return h('input', {
      type: 'number', min: '0', step: 'any', inputmode: 'decimal', id: `flt-${k}`, value: state.filters[k],
      placeholder: t(ph), 'aria-label': `${t('filters.area')} ${t(ph)}`,
      oninput: (e) => this.setArea(k, e.target.value),
    });
  }

  render() {
    const n = activeFilterCount();
    const q = h('input', {
      type: 'search', id: 'flt-q', value: state.filters.q, placeholder: t('filters.q.placeholder'),
      'aria-labelledby': 'flt-q-label', autocomplete: 'off', oninput: (e) => this.setText(e.target.value),
    });
    this.el.replaceChildren(
      field('q', 'filters.q', q),
      field('region', 'region', chips('region', this.regions.map((r) => r.code), (c) => this.regions.find((r) => r.code === c)?.name || c)),
      field('zone', 'zone', this.zoneSelect()),
      field('kind', 'kind', chips('kind', KINDS, (v) => label('kind', v), KIND_COLORS)),
      field('stage', 'stage', chips('stage', STAGES, (v) => label('stage', v), STAGE_COLORS)),
      field('mode', 'mode', chips('mode', MODES, (v) => label('mode.long', v), MODE_COLORS)),
      field('land_status', 'land_status', chips('land_status', LAND_STATUSES, (v) => label('land_status', v))),
      field('area', 'filters.area', h('div', { class: 'range' }, this.areaInput('min_area_mu', 'filters.min'), h('span', {}, '—'), this.areaInput('max_area_mu', 'filters.max'))),
      h('div', { class: 'field-actions' },
        h('button', { type: 'button', class: 'btn', disabled: n === 0, onclick: () => { state.filters = emptyFilters(); emit('filters'); } },
          t('filters.reset'), n ? ` (${n})` : '')));
  }

  /** sync re-renders after a change, keeping focus on the control that had it. */
  sync() {
    keepFocus(this.el, () => this.render());
    const n = activeFilterCount();
    const badge = $('#filter-count');
    badge.textContent = n ? String(n) : '';
    badge.hidden = !n;
  }
}
