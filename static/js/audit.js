// 审计日志 (administrators): the audit trail from /api/v1/audit, filtered by time, actor, action
// and text, a page at a time, and exported as CSV with the same filters.
import { h, modal, table, field, fill } from './dom.js';
import { t, label } from './i18n.js';
import { getJSON } from './api.js';

const ACTIONS = ['login.ok', 'login.failed', 'login.locked', 'login.unlocked', 'login.throttled', 'logout',
  'token.issue', 'token.revoke', 'user.create', 'user.update', 'user.disable', 'user.enable', 'user.password',
  'export', 'import', 'print', 'attachment.add', 'attachment.delete', 'lease.add', 'lease.delete',
  'audit.export', 'audit.prune'];
const PAGE = 50;

/** AuditScreen is the 审计日志 dialog. */
export class AuditScreen {
  constructor() { this.offset = 0; }

  open() {
    const input = (id, type = 'text') => h('input', { id, type, autocomplete: 'off' });
    this.f = { from: input('audit-from', 'date'), to: input('audit-to', 'date'), actor: input('audit-actor'), q: input('audit-q', 'search') };
    this.f.action = h('select', { id: 'audit-action' }, h('option', { value: '' }, t('all')), ACTIONS.map((a) => h('option', { value: a }, label('audit', a))));
    this.csv = h('a', { class: 'btn', id: 'audit-csv', download: '' }, t('audit.csv'));
    const form = h('form', {
      class: 'form form-inline', id: 'audit-filter',
      onsubmit: (e) => { e.preventDefault(); this.offset = 0; this.load(); },
    }, field(t('audit.from'), this.f.from), field(t('audit.to'), this.f.to), field(t('audit.actor'), this.f.actor),
    field(t('audit.action'), this.f.action), field(t('audit.q'), this.f.q),
    h('button', { type: 'submit', class: 'btn btn-primary', id: 'audit-search' }, t('audit.search')), this.csv);
    this.list = h('div', { class: 'table-wrap', id: 'audit-list' });
    this.pager = h('div', { class: 'pager' });
    modal({ id: 'audit-screen', title: t('audit.title'), wide: true }, form, this.list, this.pager);
    return this.load();
  }

  query(extra) {
    const p = new URLSearchParams();
    for (const k of ['from', 'to', 'actor', 'q', 'action']) if (this.f[k].value.trim()) p.set(k, this.f[k].value.trim());
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    return p;
  }

  async load() {
    this.csv.href = `/api/v1/audit?${this.query({ format: 'csv' })}`;
    let page;
    try {
      page = await getJSON('/api/v1/audit', this.query({ limit: PAGE, offset: this.offset }));
    } catch (x) {
      fill(this.list, h('p', { class: 'error', role: 'alert' }, `${t('err.load')}：${x.message}`));
      return;
    }
    const cols = [
      { label: t('audit.at'), cell: (r) => new Date(r.at).toLocaleString('zh-CN', { hour12: false }) },
      { label: t('audit.actor'), cell: (r) => r.actor || '—' },
      { label: t('audit.action'), cell: (r) => label('audit', r.action) },
      { label: t('audit.target'), cell: (r) => r.target || '—' },
      { label: t('audit.detail'), cls: 'wide', cell: (r) => h('code', {}, JSON.stringify(r.detail)) },
      { label: t('audit.ip'), cell: (r) => r.ip || '—' },
    ];
    fill(this.list, page.items.length ? table(cols, page.items, (r) => ({ 'data-action': r.action })) : h('p', { class: 'muted pad' }, t('audit.empty')));
    const pages = Math.max(1, Math.ceil(page.total / PAGE));
    const at = Math.floor(this.offset / PAGE) + 1;
    const go = (d) => () => { this.offset += d * PAGE; this.load(); };
    fill(this.pager, h('span', { 'data-test': 'audit-total' }, t('audit.total', { n: page.total })),
      h('button', { type: 'button', class: 'btn btn-small', disabled: at <= 1, onclick: go(-1) }, t('results.prev')),
      t('results.page', { p: at, n: pages }),
      h('button', { type: 'button', class: 'btn btn-small', disabled: at >= pages, onclick: go(1) }, t('results.next')));
  }
}
