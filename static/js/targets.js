// 目标管理 (administrators): a year's targets — 预期盘活效益 (万元) per region and per 工作领域 with
// its 牵头单位, 配合单位 and 主要任务 — edited in place and saved with PUT /api/v1/targets, or read
// from a workbook laid out like the plans' tables (地区 | 预期盘活效益, or 序号 | 工作领域 |
// 牵头及配合单位 | 主要任务 | 预期盘活效益) through POST /api/v1/targets/import: a preview (dry run)
// first, then the import.
import { h, modal, table, field, fill, toast } from './dom.js';
import { t, num } from './i18n.js';
import { api, getJSON, sendJSON } from './api.js';

/** FIELDS are the 工作领域 in the plans' order. */
export const FIELDS = ['natural_resources', 'water', 'forestry', 'zones_energy', 'data', 'culture_tourism',
  'party_gov_assets', 'institution_assets', 'enterprise_assets', 'concession'];

const money = (attrs) => h('input', { type: 'number', min: '0', step: '0.01', inputmode: 'decimal', class: 'money', ...attrs });

/** TargetsScreen is the 目标管理 dialog. */
export class TargetsScreen {
  async open() {
    this.year = h('input', { type: 'number', id: 'targets-year', min: '2000', max: '2100', value: String(new Date().getFullYear()),
      onchange: () => this.load() });
    this.notice = h('div', { class: 'notice', id: 'targets-notice', role: 'status', hidden: true });
    this.regionsBox = h('div', { class: 'table-wrap', id: 'targets-regions' });
    this.fieldsBox = h('div', { class: 'table-wrap', id: 'targets-fields' });
    this.file = h('input', { type: 'file', id: 'targets-file', accept: '.xlsx' });
    this.report = h('div', { id: 'targets-report', 'aria-live': 'polite' });
    modal({ id: 'targets-screen', title: t('targets.title'), wide: true },
      h('div', { class: 'form form-inline' }, field(t('targets.year'), this.year),
        h('button', { type: 'button', class: 'btn btn-primary', id: 'targets-save', onclick: () => this.save() }, t('targets.save'))),
      this.notice,
      h('h3', {}, t('targets.regions')), this.regionsBox,
      h('h3', {}, t('targets.fields')), this.fieldsBox,
      h('h3', {}, t('targets.import')), h('p', { class: 'muted' }, t('targets.importHint')),
      h('div', { class: 'form form-inline' }, field(t('targets.file'), this.file),
        h('button', { type: 'button', class: 'btn', id: 'targets-dry', onclick: () => this.upload(true) }, t('targets.dry')),
        h('button', { type: 'button', class: 'btn btn-primary', id: 'targets-load', onclick: () => this.upload(false) }, t('targets.load'))),
      this.report);
    this.regions = (await api.regions().catch(() => [])).filter((r) => r.level !== 'township');
    await this.load();
  }

  say(text, error = false) {
    this.notice.hidden = false;
    this.notice.classList.toggle('error', error);
    fill(this.notice, text);
  }

  /** load fetches the year's targets and fills the two tables. */
  async load() {
    let cur;
    try {
      cur = await getJSON('/api/v1/targets', new URLSearchParams({ year: this.year.value }));
    } catch (x) {
      this.say(`${t('err.load')}：${x.message}`, true);
      return;
    }
    const byRegion = new Map(cur.regions.map((r) => [r.region_code, r]));
    const byField = new Map(cur.fields.map((f) => [f.field, f]));
    fill(this.regionsBox, table([
      { label: t('targets.region'), cell: (r) => `${r.name}（${r.code}）` },
      { label: t('targets.benefit'), cell: (r) => money({ 'data-region': r.code, 'aria-label': `${r.name} ${t('targets.benefit')}`, value: byRegion.get(r.code)?.benefit ?? '' }) },
    ], this.regions));
    const text = (f, key, cur2) => h('input', { 'data-field': f, 'data-key': key, 'aria-label': `${t(`board.field.${f}`)} ${t(`targets.${key}`)}`, value: cur2?.[key] ?? '' });
    fill(this.fieldsBox, table([
      { label: t('targets.field'), cell: (f) => t(`board.field.${f}`) },
      { label: t('targets.lead_unit'), cell: (f) => text(f, 'lead_unit', byField.get(f)) },
      { label: t('targets.partners'), cell: (f) => text(f, 'partners', byField.get(f)) },
      { label: t('targets.tasks'), cell: (f) => text(f, 'tasks', byField.get(f)) },
      { label: t('targets.benefit'), cell: (f) => money({ 'data-field': f, 'data-key': 'target', 'aria-label': `${t(`board.field.${f}`)} ${t('targets.benefit')}`, value: byField.get(f)?.target ?? '' }) },
    ], FIELDS));
  }

  /** body is the year's targets as typed: rows with an amount only. */
  body() {
    const regions = [...this.regionsBox.querySelectorAll('input[data-region]')].filter((i) => i.value !== '')
      .map((i) => ({ region_code: i.dataset.region, benefit: Number(i.value) }));
    const fields = FIELDS.map((f) => {
      const get = (key) => this.fieldsBox.querySelector(`input[data-field="${f}"][data-key="${key}"]`).value;
      return { field: f, lead_unit: get('lead_unit').trim(), partners: get('partners').trim(), tasks: get('tasks').trim(), target: get('target') };
    }).filter((f) => f.target !== '').map((f) => ({ ...f, target: Number(f.target) }));
    return { year: Number(this.year.value), regions, fields };
  }

  async save() {
    try {
      await sendJSON('PUT', '/api/v1/targets', this.body());
      toast(t('targets.saved'));
      this.say(t('targets.saved'));
      await this.load();
    } catch (x) {
      this.say(`${t('targets.failed')}：${x.message}`, true);
    }
  }

  /** upload sends the workbook, as a preview (dry run) or for real, and shows the report. */
  async upload(dry) {
    const file = this.file.files[0];
    if (!file) { toast(t('targets.pick')); this.file.focus(); return; }
    const body = new FormData();
    body.set('year', this.year.value);
    body.set('dry_run', String(dry));
    body.set('file', file, file.name);
    fill(this.report, h('p', {}, t('places.working')));
    const res = await fetch('/api/v1/targets/import', { method: 'POST', body, headers: { Accept: 'application/json' } });
    const out = await res.json().catch(() => null);
    if (!res.ok && !out?.errors) {
      fill(this.report, h('p', { class: 'notice error', role: 'alert' }, out?.detail || `HTTP ${res.status}`));
      return;
    }
    this.show(out);
    if (res.ok && !dry) { toast(t('targets.imported')); await this.load(); }
  }

  show(r) {
    const bad = r.errors.length > 0;
    fill(this.report,
      h('p', { class: `notice${bad ? ' error' : ''}`, 'data-test': 'targets-summary' }, t(bad ? 'targets.summaryBad' : r.dry_run ? 'targets.summaryDry' : 'targets.summary', {
        shape: t(`targets.shape.${r.shape}`), created: r.created, updated: r.updated, unchanged: r.unchanged, errors: r.errors.length,
      })),
      bad ? table([
        { label: t('places.row'), cell: (e) => String(e.row) },
        { label: t('targets.column'), cell: (e) => e.field },
        { label: t('places.reason'), cell: (e) => e.reason },
      ], r.errors, (e) => ({ 'data-row': e.row })) : null,
      !bad && r.regions.length ? table([
        { label: t('targets.region'), cell: (x) => x.region_name },
        { label: t('targets.benefit'), cell: (x) => num(x.benefit, 2), cls: 'num' },
      ], r.regions) : null,
      !bad && r.fields.length ? table([
        { label: t('targets.field'), cell: (x) => x.label },
        { label: t('targets.lead_unit'), cell: (x) => x.lead_unit },
        { label: t('targets.partners'), cell: (x) => x.partners },
        { label: t('targets.benefit'), cell: (x) => num(x.target, 2), cls: 'num' },
      ], r.fields) : null);
  }
}
