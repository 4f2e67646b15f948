// The side panel of one asset: for land its idle assessment first, then its ledger facts, the
// analyst's edit form (assetform.js), land facts, kind-specific facts, a zoom link and its history.
import { api } from './api.js';
import { toast } from './dom.js';
import { h, $ } from './dom.js';
import { t, label, mu, m2, wan, pct, date, dateTime, num } from './i18n.js';
import { state, emit } from './state.js';
import { editForm, idleBlock, typedChanges } from './assetform.js';
import { conflictBox } from './conflict.js';
import { checksSection } from './checks.js';
import { attachmentsBlock } from './attachments.js';
import { leasesBlock } from './leases.js';
import { STAGE_COLORS, MODE_COLORS, KIND_COLORS } from './layers.js';

const FACT_KEYS = {
  mine: ['right_type', 'mineral', 'licence_no', 'valid_from', 'valid_to', 'reserves', 'scale'],
  forest: ['farm_name', 'forest_type', 'main_species', 'stock_m3'],
  water: ['water_type', 'capacity_wan_m3', 'aquaculture', 'water_rights'],
  building: ['floor_area_m2', 'floors', 'year_built', 'use', 'idle_since', 'title_status'],
};
const DATE_FACTS = new Set(['valid_from', 'valid_to', 'idle_since']);

const row = (key, value) => [h('dt', {}, t(key)), h('dd', {}, value == null || value === '' ? '—' : value)];
const badge = (text, color, cls = '') => h('span', { class: `badge ${cls}`, style: { '--c': color } }, text);

function factValue(key, v) {
  if (v == null || v === '') return '—';
  if (DATE_FACTS.has(key)) return date(v);
  if (typeof v === 'number') return key === 'year_built' ? String(v) : num(v);
  const word = t(`v.${v}`);
  return word === `v.${v}` ? String(v) : word;
}

function ledger(a) {
  return h('dl', { class: 'facts' },
    row('f.code', h('code', {}, a.code)),
    row('f.name', a.name),
    row('f.kind', label('kind', a.kind)),
    row('f.region', a.region_name || a.region_code),
    row('f.zone', a.zone_name || a.zone_code),
    row('f.holder', a.holder),
    row('f.holder_type', a.holder_type && label('holder_type', a.holder_type)),
    row('f.responsible_unit', a.responsible_unit),
    row('f.responsible_person', a.responsible_person),
    row('f.area', `${mu(a.area_mu)}（${m2(a.area_m2)}）`),
    row('f.book_value', wan(a.book_value)),
    row('f.appraised_value', wan(a.appraised_value)),
    row('f.revenue', wan(a.revenue)),
    row('f.updated_at', dateTime(a.updated_at)));
}

function landFacts(a) {
  const l = a.land || {};
  const cls = l.land_class_code ? `${l.land_class_code}（${label('class', l.land_class_system)}）` : null;
  return [
    h('h3', {}, t('panel.land')),
    h('dl', { class: 'facts' },
      row('f.land_status', label('land_status', l.land_status ?? a.land_status)),
      row('f.land_class', cls),
      row('f.approval_no', l.approval_no),
      row('f.approval_date', l.approval_date && date(l.approval_date)),
      row('f.supply_method', l.supply_method),
      row('f.supply_date', l.supply_date && date(l.supply_date)),
      row('f.agreed_start', l.agreed_start && date(l.agreed_start)),
      row('f.actual_start', l.actual_start && date(l.actual_start)),
      row('f.developed_share', l.developed_share != null ? pct(l.developed_share) : null),
      row('f.invested_share', l.invested_share != null ? pct(l.invested_share) : null),
      row('f.idle_cause', l.idle_cause && label('idle_cause', l.idle_cause)),
      l.idle_override ? row('f.idle_override', `${label('land_status', l.idle_override)}：${l.idle_override_reason || '—'}`) : null),
  ];
}

function kindFacts(a) {
  const keys = FACT_KEYS[a.kind];
  const facts = a.facts || {};
  if (!keys) return null;
  const known = keys.filter((k) => facts[k] != null);
  if (!known.length) return null;
  return [h('h3', {}, t('panel.kindFacts')),
    h('dl', { class: 'facts' }, known.map((k) => [h('dt', {}, t(`fact.${k}`)), h('dd', {}, factValue(k, facts[k]))]))];
}

/** changes lists what an event changed as "field: before → after" lines. */
function changes(ev) {
  const before = ev.before || {};
  const after = ev.after || {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]) && !['version', 'updated_at', 'created_at', 'geometry'].includes(k));
  const show = (k, v) => (v == null ? '—' : ['stage', 'mode', 'kind', 'land_status'].includes(k) ? label(k, v) : k === 'area_mu' ? mu(v)
    : typeof v === 'object' ? JSON.stringify(v) : String(v));
  if (ev.action !== 'update') return null;
  const shape = before.geometry || after.geometry ? h('li', {}, t('edit.shape.changed')) : null;
  return h('ul', { class: 'changes' }, shape, keys.filter((k) => !['area_m2', 'overlaps'].includes(k)).slice(0, 8).map((k) => {
    const name = t(`f.${k}`) === `f.${k}` ? k : t(`f.${k}`);
    return h('li', {}, `${name}：${show(k, before[k])} → ${show(k, after[k])}`);
  }));
}

/** outlineButton draws the outline an event replaced (a change of shape keeps both) on the map. */
function outlineButton(ev, onOutline) {
  const g = ev.before?.geometry;
  if (!g || !onOutline) return null;
  return h('button', { type: 'button', class: 'link', 'data-test': 'history-outline', onclick: () => onOutline(g) }, t('edit.shape.earlier'));
}

function history(events, onOutline) {
  if (!events?.length) return h('p', { class: 'muted' }, t('panel.noHistory'));
  const sorted = [...events].sort((x, y) => String(y.at).localeCompare(String(x.at)));
  return h('ol', { class: 'timeline' }, sorted.map((ev) => h('li', {},
    h('div', { class: 'tl-head' }, h('strong', {}, label('action', ev.action)), h('time', { datetime: ev.at }, dateTime(ev.at))),
    ev.actor ? h('div', { class: 'muted' }, ev.actor) : null,
    changes(ev),
    outlineButton(ev, onOutline),
    ev.note ? h('div', { class: 'note' }, ev.note) : null)));
}

/** Panel shows one asset at a time in the right-hand drawer. */
export class Panel {
  constructor(el, { onZoom, session, onEdited, onProject, onReshape, onOutline, tools, lineage }) {
    this.el = el;
    this.onReshape = onReshape;
    this.onOutline = onOutline;
    this.tools = tools; // (asset) → the analyst's map tools (分割, 合并: edit/split.js, edit/merge.js)
    this.lineage = lineage; // (asset) → its 来源/去向 (edit/lineage.js)
    this.onProject = onProject;
    this.session = session;
    this.onEdited = onEdited;
    this.onZoom = onZoom;
    this.asset = null;
  }

  /** open loads asset id and shows it; the state remembers the selection (and so the URL). */
  async open(id) {
    this.pending = null;
    state.selected = id;
    emit('selected', id);
    this.el.hidden = false;
    document.body.classList.add('with-panel');
    this.el.replaceChildren(h('div', { class: 'panel-loading' }, t('panel.loading')));
    try {
      const a = await api.asset(id);
      if (state.selected !== id) return;
      this.asset = a;
      this.render();
    } catch (e) {
      this.el.replaceChildren(this.header(null), h('p', { class: 'error', role: 'alert' }, `${t('err.load')}：${e.message}`));
    }
  }

  /**
   * refresh shows the asset's current values after a change elsewhere (a new data version), unless
   * the user is typing an edit: then the form stays, with a note, and the save meets the conflict.
   */
  async refresh() {
    const id = this.asset?.id;
    if (id == null || this.el.hidden || state.retiring.has(id)) return;
    let a;
    try { a = await api.asset(id); } catch { return; }
    if (this.asset?.id !== id || a.version === this.asset.version) return;
    const form = $('#edit-form', this.el);
    if (form && (Object.keys(typedChanges(form, this.asset)).length || $('#edit-note', form)?.value.trim())) {
      const msg = $('[data-test="edit-msg"]', form);
      if (msg) msg.textContent = t('edit.stale');
      return;
    }
    const top = $('.panel-body', this.el)?.scrollTop ?? 0;
    this.asset = a;
    this.render();
    const body = $('.panel-body', this.el);
    if (body) body.scrollTop = top;
  }

  /** save sends an edit with the version it was based on; 412 means someone else changed it first. */
  async save(body, msg) {
    const id = this.asset.id;
    let saved;
    try {
      saved = await api.patchAsset(id, body);
    } catch (e) {
      msg.classList.add('error');
      if (e.status === 412) {
        await this.conflict(body, msg);
      } else {
        msg.textContent = e.status === 403 || e.status === 401 ? t('edit.forbidden') : `${e.message}`;
      }
      return;
    }
    this.pending = null;
    this.onEdited?.(saved);
    toast(t('edit.saved'));
    await this.open(id);
  }

  /** conflict keeps the typed edit and shows it beside the asset's current values (see conflict.js). */
  async conflict(body, msg) {
    const base = this.asset;
    let current;
    try {
      current = await api.asset(base.id);
    } catch (e) {
      msg.textContent = `${t('edit.conflict')}：${e.message}`;
      return;
    }
    if (this.asset?.id !== base.id) return;
    this.pending = { base: this.pending?.base ?? base, mine: body };
    this.asset = current;
    this.render();
    $('[data-test="conflict"]', this.el)?.scrollIntoView?.({ block: 'nearest' });
  }

  close() {
    this.el.hidden = true;
    this.asset = null;
    document.body.classList.remove('with-panel');
    state.selected = null;
    emit('selected', null);
  }

  header(a) {
    return h('header', { class: 'panel-head' },
      h('div', {},
        a ? h('div', { class: 'panel-kind' }, badge(label('kind', a.kind), KIND_COLORS[a.kind], 'kind')) : null,
        h('h2', { id: 'panel-title', tabindex: '-1' }, a ? a.name || a.code : ''),
        a ? h('div', { class: 'panel-code' }, h('code', { 'data-test': 'asset-code' }, a.code)) : null),
      h('button', { class: 'icon-btn', type: 'button', 'aria-label': t('panel.close'), title: t('panel.close'), onclick: () => this.close() }, '×'));
  }

  render() {
    const a = this.asset;
    if (!a) return;
    this.el.replaceChildren(
      this.header(a),
      h('div', { class: 'panel-body' },
        a.kind === 'land' ? idleBlock(a) : null,
        h('div', { class: 'status-row' },
          badge(`${t('f.mode')}：${label('mode', a.mode)}`, MODE_COLORS[a.mode]),
          badge(`${t('f.stage')}：${label('stage', a.stage)}`, STAGE_COLORS[a.stage]),
          a.kind === 'land' && (a.land?.land_status ?? a.land_status) ? badge(label('land_status', a.land?.land_status ?? a.land_status), '#495057') : null),
        a.project ? h('button', { type: 'button', class: 'link project-link', 'data-test': 'asset-project', onclick: () => this.onProject?.(a.project.id) },
          `${t('proj.of')}：`, h('code', {}, a.project.code), ` ${a.project.name}`) : null,
        h('div', { class: 'big-figures' },
          h('div', {}, h('span', { class: 'fig' }, mu(a.area_mu)), h('span', { class: 'cap' }, t('f.area'))),
          h('div', {}, h('span', { class: 'fig' }, wan(a.book_value)), h('span', { class: 'cap' }, t('f.book_value')))),
        a.geometry ? h('button', { class: 'btn btn-primary', type: 'button', onclick: () => this.onZoom(a.geometry) }, t('panel.zoom')) : null,
        this.session?.canEdit() ? h('div', { class: 'edit-tools' },
          this.onReshape && /Polygon/.test(a.geometry?.type || '')
            ? h('button', { class: 'btn', type: 'button', 'data-test': 'reshape', onclick: () => this.onReshape(a) }, t('edit.shape.button')) : null,
          this.tools ? this.tools(a) : null) : null,
        h('h3', {}, t('panel.facts')),
        ledger(a),
        a.kind === 'land' ? landFacts(a) : null,
        kindFacts(a),
        leasesBlock(a.id, this.session?.canEdit()),
        attachmentsBlock({ kind: 'asset', id: a.id }, this.session?.canEdit()),
        this.session?.canEdit() && this.pending ? conflictBox({ base: this.pending.base, mine: this.pending.mine, current: a,
          onDiscard: () => { this.pending = null; this.render(); } }) : null,
        this.session?.canEdit() ? editForm(a, (body, msg) => this.save(body, msg), this.pending?.mine) : null,
        this.lineage?.(a),
        checksSection(a),
        h('h3', {}, t('panel.history')),
        history(a.events, this.onOutline)));
    $('#panel-title', this.el)?.focus?.();
  }
}
