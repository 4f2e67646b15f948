// The asset panel's edit form and the land's idle assessment. The form offers every field
// PATCH /api/v1/assets/{id} accepts (internal/assets/update.go `editable`, and the kind facts of
// validate.go FactSchemas), grouped as an analyst thinks of them, each with its input type: dates
// as dates, money in 万元, shares in %, choices as lists. Only changed fields are sent.
import { h } from './dom.js';
import { t, label, num, wan } from './i18n.js';
import { STAGES, MODES, LAND_STATUSES } from './state.js';

/** IDLE_FEE_SHARE is the idle fee: 20 % of the land price (闲置土地处置办法 第十四条). */
const IDLE_FEE_SHARE = 0.2;

/** idleFee is the idle fee in 万元 and the figure it is computed from, or null without a price. */
export function idleFee(a) {
  if (a.appraised_value != null) return { fee: a.appraised_value * IDLE_FEE_SHARE, from: 'appraised_value', base: a.appraised_value };
  if (a.book_value != null) return { fee: a.book_value * IDLE_FEE_SHARE, from: 'book_value', base: a.book_value };
  return null;
}

/** idleBlock is the land's idle assessment: verdict, days overdue, fee with its basis, recovery. */
export function idleBlock(a) {
  const idle = a.land?.idle_assessment;
  if (!idle) return null;
  const fee = idle.fee_due ? idleFee(a) : null;
  return h('section', { class: `idle-box ${idle.idle ? 'is-idle' : ''}`, 'data-test': 'idle-box', 'aria-labelledby': 'idle-title' },
    h('strong', { id: 'idle-title' }, `${t('f.idle')}：${idle.idle ? t('f.idle.yes') : t('f.idle.no')}`),
    h('div', { class: 'chips' },
      idle.days_overdue > 0 ? h('span', { class: 'chip', 'data-test': 'days-overdue' }, `${t('f.days_overdue')} ${num(idle.days_overdue, 0)} ${t('unit.day')}`) : null,
      idle.fee_due ? h('span', { class: 'chip warn' }, t('f.fee_due')) : null,
      idle.recoverable ? h('span', { class: 'chip danger' }, t('f.recoverable')) : null,
      idle.overridden ? h('span', { class: 'chip' }, t('f.override')) : null),
    idle.fee_due ? h('div', { class: 'idle-fee', 'data-test': 'idle-fee' }, fee
      ? [h('b', {}, `${t('idle.fee')} ${wan(fee.fee)}`), h('span', { class: 'muted' }, ` ${t('idle.fee.basis', { what: t(`f.${fee.from}`), base: wan(fee.base) })}`)]
      : h('span', { class: 'muted' }, t('idle.fee.unknown'))) : null,
    idle.basis ? h('div', { class: 'muted' }, idle.basis) : null);
}

// Field kinds: text, enum (choices), money (万元), share (0..1 shown as %), date, number, int.
const LEDGER = [
  ['stage', 'enum', STAGES], ['mode', 'enum', MODES], ['revenue', 'money'],
  ['responsible_unit', 'text'], ['responsible_person', 'text'],
];
const HOLDING = [
  ['name', 'text'], ['holder', 'text'],
  ['holder_type', 'enum', ['state_owned_enterprise', 'government', 'public_institution', 'collective']],
  ['book_value', 'money'], ['appraised_value', 'money'],
];
const LAND = [
  ['land_status', 'enum', LAND_STATUSES], ['land_class_system', 'enum', ['gbt21010_2017', 'tdly2023'], 'class'], ['land_class_code', 'text'],
  ['approval_no', 'text'], ['approval_date', 'date'], ['supply_method', 'text'], ['supply_date', 'date'],
  ['agreed_start', 'date'], ['actual_start', 'date'], ['developed_share', 'share'], ['invested_share', 'share'],
];
const IDLE = [
  ['idle_cause', 'enum', ['government', 'enterprise']],
  ['idle_override', 'enum', LAND_STATUSES, 'override'], ['idle_override_reason', 'textarea'],
];
/** FACTS are the kind facts (validate.go FactSchemas) with their input kinds. */
const FACTS = {
  mine: [['right_type', 'enum', ['exploration', 'mining'], 'v'], ['mineral', 'text'], ['licence_no', 'text'], ['valid_from', 'date'], ['valid_to', 'date'],
    ['reserves', 'number'], ['reserves_unit', 'text'], ['scale', 'enum', ['large', 'medium', 'small'], 'v']],
  forest: [['farm_name', 'text'], ['forest_type', 'enum', ['public_welfare', 'commercial'], 'v'], ['main_species', 'text'], ['stock_m3', 'number']],
  water: [['water_type', 'enum', ['lake', 'reservoir', 'river_section'], 'v'], ['capacity_wan_m3', 'number'], ['aquaculture', 'text'], ['water_rights', 'text']],
  building: [['floor_area_m2', 'number'], ['floors', 'int'], ['year_built', 'int'], ['use', 'text'], ['idle_since', 'date'],
    ['title_status', 'enum', ['certified', 'uncertified', 'partial'], 'v']],
};
// Ledger fields that may not be emptied (the API refuses null for them).
const REQUIRED = new Set(['stage', 'mode', 'revenue', 'name', 'holder', 'holder_type', 'responsible_unit', 'responsible_person']);
const UNITS = { money: 'unit.wan', share: '%' };

const optLabel = (group, v) => (group === 'v' ? t(`v.${v}`) : group === 'override' ? t('override.as', { s: label('land_status', v) }) : label(group, v));

/** control builds the input of one field: [name, kind, choices, label group] with its current value. */
function control(id, [name, kind, choices, group], value, fact) {
  const attrs = { id, name, 'data-kind': kind, 'data-fact': fact ? '' : null };
  if (kind === 'enum') {
    const known = value == null || choices.includes(value) ? choices : [...choices, value];
    const none = REQUIRED.has(name) ? null : h('option', { value: '' }, name === 'idle_override' ? t('override.none') : '—');
    return h('select', attrs, none, known.map((v) => h('option', { value: v, selected: v === value }, optLabel(group || name, v))));
  }
  if (kind === 'textarea') return h('textarea', { ...attrs, rows: '2' }, value ?? '');
  const type = { date: 'date', money: 'number', share: 'number', number: 'number', int: 'number' }[kind] || 'text';
  const shown = kind === 'share' && value != null ? String(Math.round(value * 1e4) / 100) : value ?? '';
  return h('input', {
    ...attrs, type, value: shown,
    step: kind === 'int' ? '1' : type === 'number' ? 'any' : null,
    min: kind === 'money' || kind === 'share' ? '0' : null, max: kind === 'share' ? '100' : null,
    inputmode: type === 'number' ? 'decimal' : null,
  });
}

function fieldEl(spec, value, fact = false) {
  const [name, kind] = spec;
  const id = `edit-${name}`;
  const unit = UNITS[kind];
  const c = control(id, spec, value, fact);
  return h('div', { class: `field ${kind === 'textarea' ? 'span-2' : ''}` },
    h('label', { class: 'field-label', for: id }, t(fact ? `fact.${name}` : `f.${name}`)),
    unit ? h('div', { class: 'with-unit' }, c, h('span', { class: 'unit' }, unit.startsWith('unit.') ? t(unit) : unit)) : c);
}

const group = (title, specs, values, fact) => h('fieldset', { class: 'edit-group' },
  h('legend', {}, t(title)),
  h('div', { class: 'edit-grid' }, specs.map((s) => fieldEl(s, values[s[0]], fact))));

/** readValue turns an input's text into the API's value ('' → null; % → share; numbers). */
function readValue(el) {
  const v = el.value.trim();
  if (v === '') return null;
  switch (el.dataset.kind) {
    case 'money': case 'number': case 'int': return Number(v);
    case 'share': return Math.round(Number(v) * 100) / 1e4;
    default: return v;
  }
}

const same = (a, b) => (typeof a === 'number' || typeof b === 'number' ? a != null && b != null && Math.abs(Number(a) - Number(b)) < 1e-9 : (a ?? null) === (b ?? null));

/**
 * changesOf compares the form with the asset: the fields to send, the facts to merge and the
 * problems to fix first (a field the API would refuse, told in the user's words).
 */
function changesOf(form, a) {
  const body = {};
  const facts = {};
  const problems = [];
  const land = a.land || {};
  for (const el of form.querySelectorAll('[data-kind]')) {
    const name = el.name;
    const isFact = el.hasAttribute('data-fact');
    const before = isFact ? a.facts?.[name] : name in land ? land[name] : a[name];
    const v = readValue(el);
    if (typeof v === 'number' && !Number.isFinite(v)) { problems.push(t('edit.badNumber', { f: el.labels?.[0]?.textContent || name })); continue; }
    if (same(v, before)) continue;
    if (isFact) {
      if (v != null) facts[name] = v; // a fact cannot be emptied (the API keeps facts typed)
    } else if (v == null && REQUIRED.has(name)) {
      if (['name', 'holder'].includes(name)) problems.push(t('edit.required', { f: t(`f.${name}`) }));
      else if (typeof before === 'string') body[name] = '';
    } else {
      body[name] = v;
    }
  }
  const override = 'idle_override' in body ? body.idle_override : land.idle_override;
  const reason = 'idle_override_reason' in body ? body.idle_override_reason : land.idle_override_reason;
  if (override && !reason) problems.push(t('edit.overrideReason'));
  if (Object.keys(facts).length) body.facts = facts;
  return { body, problems };
}

/** typedChanges is what the form holds that differs from asset a (the note apart). */
export function typedChanges(form, a) { return changesOf(form, a).body; }

/**
 * editForm is the analyst's form for asset a; onSave(body, msg) sends {version, ...changes, note}.
 * typed (after a version conflict) refills it with what the user had typed, on top of a.
 */
export function editForm(a, onSave, typed = {}) {
  const msg = h('p', { class: 'edit-msg', role: 'status', 'data-test': 'edit-msg' });
  const { version, note: typedNote, facts: typedFacts, ...mine } = typed; // eslint-disable-line no-unused-vars
  const values = { ...a, ...(a.land || {}), ...mine };
  const facts = { ...(a.facts || {}), ...(typedFacts || {}) };
  return h('form', {
    class: 'edit-form', id: 'edit-form', novalidate: true,
    onsubmit: (e) => {
      e.preventDefault();
      msg.classList.remove('error');
      const form = e.currentTarget;
      const { body, problems } = changesOf(form, a);
      if (problems.length) { msg.classList.add('error'); msg.textContent = problems.join('；'); return; }
      if (!Object.keys(body).length) { msg.textContent = t('edit.nochange'); return; }
      const note = form.elements.note.value.trim();
      onSave({ version: a.version, ...body, note: note || undefined }, msg);
    },
  },
  h('h3', {}, t('edit.title')),
  group('edit.group.disposal', LEDGER, values),
  a.kind === 'land' ? group('edit.group.idle', IDLE, values) : null,
  a.kind === 'land' ? group('edit.group.land', LAND, values) : null,
  FACTS[a.kind] ? group('panel.kindFacts', FACTS[a.kind], facts, true) : null,
  group('edit.group.ledger', HOLDING, values),
  h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'edit-note' }, t('edit.note')), h('textarea', { id: 'edit-note', name: 'note', rows: '2' }, typedNote ?? '')),
  h('button', { class: 'btn btn-primary', type: 'submit', id: 'edit-save' }, t('edit.save')), msg);
}
