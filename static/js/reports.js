// 月报 (monthly reports): a reporter fills its unit's projects' reports of a month, saves drafts
// and submits them; a reviewer approves a submitted report or returns it with a reason, which the
// reporter then reads; an approved report is read-only. After the 25th the projects still missing
// their report are listed per unit. All through /api/v1/reports and /api/v1/projects/{id}/reports.
import { h, modal, table, field, fill, toast } from './dom.js';
import { t, label, num, dateTime } from './i18n.js';
import { getJSON, sendJSON } from './api.js';

const QUANTITY_UNITS = ['亩', '平方米', '公里', '吨', '立方米', '个'];
const STAGES = ['planned', 'in_progress', 'done'];
const FILLERS = ['reporter', 'analyst', 'admin'];
const REVIEWERS = ['reviewer', 'admin'];
const MONEY = ['economic_benefit', 'treasury_income', 'fiscal_available'];

/** REPORT_ROLES are the roles the 月报 screen is for (others read the 榜单 instead). */
export const REPORT_ROLES = [...new Set([...FILLERS, ...REVIEWERS])];

/** thisMonth is the current month as YYYY-MM (the browser's calendar). */
export function thisMonth() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

const reportPath = (id, month, rest = '') => `/api/v1/projects/${encodeURIComponent(id)}/reports/${month}${rest}`;

/** awaitingReview counts the submitted reports the signed-in reviewer sees, every month. */
export async function awaitingReview() {
  return (await getJSON('/api/v1/reports', new URLSearchParams({ state: 'submitted' }))).reports.length;
}

/** rowsOf joins a month's reports and its missing list into one row per project. */
function rowsOf(reports, missing) {
  const rows = new Map();
  for (const r of reports) rows.set(r.project_id, { id: r.project_id, code: r.project_code, name: r.project_name, unit: r.unit_name, report: r });
  for (const u of missing.units) {
    for (const p of u.projects) if (!rows.has(p.id)) rows.set(p.id, { id: p.id, code: p.code, name: p.name, unit: u.unit_name, report: null });
  }
  return [...rows.values()].sort((a, b) => a.unit.localeCompare(b.unit, 'zh') || a.code.localeCompare(b.code));
}

const STATE_BADGE = { draft: '', submitted: 'badge-warn', approved: 'badge-on', returned: 'badge-warn' };

function stateBadge(r) {
  if (!r) return h('span', { class: 'badge badge-off', 'data-state': 'none' }, t('reports.none'));
  return h('span', { class: `badge ${STATE_BADGE[r.state]}`, 'data-state': r.state }, label('report.state', r.state));
}

/** ReportsScreen is the 月报 dialog; user is the signed-in user, onChange runs after each change. */
export class ReportsScreen {
  constructor(user, { onChange } = {}) {
    this.user = user;
    this.month = thisMonth();
    this.onChange = onChange;
  }

  canFill() { return FILLERS.includes(this.user?.role); }

  canReview() { return REVIEWERS.includes(this.user?.role); }

  async open() {
    this.monthInput = h('input', { type: 'month', id: 'report-month', value: this.month, onchange: () => {
      if (!/^\d{4}-\d{2}$/.test(this.monthInput.value)) return;
      this.month = this.monthInput.value;
      this.load();
    } });
    this.exportLink = h('a', { class: 'btn', id: 'report-export', download: '' }, t('reports.export'));
    this.awaiting = h('span', { class: 'badge badge-warn', id: 'report-awaiting', hidden: true });
    this.due = h('span', { class: 'hint', id: 'report-due' });
    this.notice = h('div', { class: 'notice', id: 'report-notice', role: 'status', hidden: true });
    this.body = h('div', { id: 'report-body' });
    this.modal = modal({ id: 'reports-screen', title: t('reports.title'), wide: true },
      h('div', { class: 'form form-inline report-bar' }, field(t('reports.month'), this.monthInput), this.exportLink, this.awaiting, this.due),
      this.notice, this.body);
    await this.load();
  }

  say(text, error = false) {
    this.notice.hidden = !text;
    this.notice.classList.toggle('error', error);
    fill(this.notice, text);
  }

  async load() {
    this.exportLink.href = `/api/v1/reports/export.xlsx?month=${this.month}`;
    const q = new URLSearchParams({ month: this.month });
    try {
      const [list, missing] = await Promise.all([getJSON('/api/v1/reports', q), getJSON('/api/v1/reports/missing', q)]);
      this.rows = rowsOf(list.reports, missing);
      this.missing = missing;
      fill(this.due, t('reports.due', { due: missing.due }));
      if (this.canReview()) this.count(await awaitingReview());
      this.renderList();
    } catch (x) {
      this.say(`${t('err.load')}：${x.message}`, true);
    }
  }

  count(n) {
    this.awaiting.hidden = !n;
    fill(this.awaiting, t('reports.awaiting', { n }));
  }

  action(row) {
    const r = row.report;
    const btn = (key, act, primary) => h('button', { type: 'button', class: `btn btn-small${primary ? ' btn-primary' : ''}`, 'data-action': act,
      onclick: () => this.openForm(row) }, t(key));
    if (this.canFill() && (!r || r.state === 'draft' || r.state === 'returned')) return btn('reports.fill', 'fill', true);
    if (this.canReview() && r?.state === 'submitted') return btn('reports.review', 'review', true);
    return r ? btn('reports.view', 'view') : '—';
  }

  renderList() {
    this.say('');
    const cols = [
      { label: t('reports.code'), cls: 'report-wide', cell: (r) => r.code },
      { label: t('reports.name'), cell: (r) => h('strong', {}, r.name) },
      { label: t('reports.unit'), cls: 'report-wide', cell: (r) => r.unit },
      { label: t('reports.state'), cell: (r) => h('span', {}, stateBadge(r.report),
        r.report?.state === 'returned' ? h('div', { class: 'hint report-reason' }, t('reports.returnedBecause', { reason: r.report.return_reason })) : null) },
      { label: t('reports.economic'), cls: 'num report-wide', cell: (r) => (r.report ? num(r.report.economic_benefit) : '—') },
      { label: '', cell: (r) => this.action(r) },
    ];
    fill(this.body, h('h3', {}, t('reports.projects')),
      this.rows.length ? h('div', { class: 'table-wrap' }, table(cols, this.rows, (r) => ({ 'data-project': r.code }))) : h('p', { class: 'muted' }, t('reports.empty')),
      this.missingList());
  }

  /** missingList shows, once the month is overdue, the projects still to report per unit. */
  missingList() {
    const m = this.missing;
    if (!m.overdue) return null;
    if (!m.units.length) return h('p', { class: 'hint', id: 'report-missing' }, t('reports.missingNone', { due: m.due }));
    return h('div', { id: 'report-missing' }, h('h3', {}, t('reports.missing', { due: m.due })),
      h('ul', { class: 'report-missing' }, m.units.map((u) => h('li', { 'data-unit': u.unit_code },
        h('strong', {}, u.unit_name), `（${label('report.group', u.group)}，${u.projects.length}）：`,
        u.projects.map((p) => `${p.code} ${p.name}`).join('；')))));
  }

  /** openForm shows a project's report of the month: editable for its reporter while a draft or returned. */
  openForm(row) {
    const r = row.report;
    const editable = this.canFill() && (!r || r.state === 'draft' || r.state === 'returned');
    const reviewing = this.canReview() && r?.state === 'submitted';
    const input = (key, type = 'number') => h('input', { id: `report-${key}`, name: key, type, min: 0, step: '0.01', value: r ? r[key] : '', disabled: !editable });
    const area = (key) => h('textarea', { id: `report-${key}`, name: key, rows: 2, disabled: !editable }, r ? r[key] : '');
    const select = (key, options, value, text) => h('select', { id: `report-${key}`, name: key, disabled: !editable },
      options.map((o) => h('option', { value: o, selected: o === value }, text(o))));
    this.inputs = {
      stage: select('stage', STAGES, r?.stage || 'in_progress', (s) => label('stage', s)),
      quantity: input('quantity'),
      quantity_unit: select('quantity_unit', QUANTITY_UNITS, r?.quantity_unit || '亩', (u) => u),
      economic_benefit: input('economic_benefit'),
      social_benefit: area('social_benefit'),
      treasury_income: input('treasury_income'),
      fiscal_available: input('fiscal_available'),
      typical_case: area('typical_case'),
    };
    const i = this.inputs;
    fill(this.body,
      h('h3', {}, t('reports.formTitle', { code: row.code, name: row.name, month: this.month })),
      this.status(r, editable),
      h('form', { class: 'edit-form report-form', id: 'report-form', onsubmit: (e) => e.preventDefault() },
        h('div', { class: 'report-grid' },
          field(t('reports.stage'), i.stage),
          h('div', { class: 'report-pair' }, field(t('reports.quantity'), i.quantity), field(t('reports.quantityUnit'), i.quantity_unit)),
          field(t('reports.economic'), i.economic_benefit), field(t('reports.treasury'), i.treasury_income),
          field(t('reports.fiscal'), i.fiscal_available)),
        field(t('reports.social'), i.social_benefit), field(t('reports.case'), i.typical_case),
        this.buttons(row, editable, reviewing)));
  }

  /** status says where the report stands: its state, who submitted and reviewed it, why it came back. */
  status(r, editable) {
    if (!r) return null;
    const by = (who, at) => (who ? t('reports.by', { who, at: dateTime(at) }) : '');
    const why = r.return_reason && r.state !== 'approved'
      ? h('div', { class: 'notice error', id: 'report-returned' }, t('reports.returnedBecause', { reason: r.return_reason })) : null;
    const lock = r.state === 'approved' ? t('reports.locked') : r.state === 'submitted' && !editable ? t('reports.underReview') : '';
    return h('div', { class: 'report-status' }, h('p', {}, stateBadge(r), ' ', by(r.submitted_by_name, r.submitted_at),
      r.reviewed_by_name ? ` · ${by(r.reviewed_by_name, r.reviewed_at)}` : '', lock ? h('span', { class: 'hint', id: 'report-lock' }, ` · ${lock}`) : null), why);
  }

  buttons(row, editable, reviewing) {
    const btn = (id, key, onclick, primary) => h('button', { type: 'button', id, class: `btn${primary ? ' btn-primary' : ''}`, onclick }, t(key));
    const back = btn('report-back', 'reports.back', () => this.load());
    if (editable) {
      return h('div', { class: 'btn-row' }, btn('report-save', 'reports.save', () => this.save(row, false)),
        btn('report-submit', 'reports.submit', () => this.save(row, true), true), back);
    }
    if (reviewing) {
      this.reason = h('textarea', { id: 'report-reason', rows: 2, placeholder: t('reports.reason') });
      return h('div', {}, field(t('reports.reason'), this.reason), h('div', { class: 'btn-row' },
        btn('report-approve', 'reports.approve', () => this.review(row, 'approve'), true),
        btn('report-return', 'reports.return', () => this.review(row, 'return')), back));
    }
    return h('div', { class: 'btn-row' }, back);
  }

  /** values are the form's figures as the API takes them (empty amounts are 0). */
  values() {
    const out = {};
    for (const [k, el] of Object.entries(this.inputs)) out[k] = el.value;
    for (const k of ['quantity', ...MONEY]) out[k] = Number(out[k] || 0);
    return out;
  }

  async save(row, submit) {
    const body = this.values();
    if (row.report) body.version = row.report.version;
    await this.step(row, async () => {
      let r = await sendJSON('PUT', reportPath(row.id, this.month), body);
      row.report = r; // saved even when the submit below fails
      if (submit) r = await sendJSON('POST', reportPath(row.id, this.month, '/submit'), { version: r.version });
      return r;
    }, submit ? 'reports.submitted' : 'reports.saved');
  }

  async review(row, act) {
    const reason = this.reason.value.trim();
    if (act === 'return' && !reason) {
      this.say(t('reports.needReason'), true);
      this.reason.focus();
      return;
    }
    const body = act === 'return' ? { reason, version: row.report.version } : { version: row.report.version };
    await this.step(row, () => sendJSON('POST', reportPath(row.id, this.month, `/${act}`), body),
      act === 'return' ? 'reports.returned' : 'reports.approved');
  }

  /** step runs a change, then shows the report as it now stands (or the problem). */
  async step(row, run, done) {
    try {
      row.report = await run();
    } catch (x) {
      this.say(`${t('reports.failed')}：${x.message}`, true);
      return;
    }
    toast(t(done));
    this.say('');
    this.openForm(row);
    if (this.canReview()) this.count(await awaitingReview().catch(() => 0));
    this.onChange?.();
  }
}
