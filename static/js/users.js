// 用户管理 (administrators): list accounts, create one (its password must be changed at first
// sign-in), change role, region and unit (a 填报员 reports for its unit), disable or enable,
// unlock, reset the password, and see and revoke a user's sessions and tokens — all through
// /api/v1/users.
import { h, modal, table, field, fill, toast } from './dom.js';
import { t, label } from './i18n.js';
import { api, getJSON, sendJSON } from './api.js';

const ROLES = ['admin', 'analyst', 'planner', 'leader', 'reviewer', 'reporter'];
const when = (v) => (v ? new Date(v).toLocaleString('zh-CN', { hour12: false }) : '—');
const path = (u, rest = '') => `/api/v1/users/${encodeURIComponent(u.id)}${rest}`;

/** UsersScreen is the 用户管理 dialog. */
export class UsersScreen {
  constructor() {
    this.regions = [];
    this.units = [];
    this.users = [];
    this.tokensOf = null;
  }

  async open() {
    [this.regions, this.units] = await Promise.all([api.regions().catch(() => []),
      getJSON('/api/v1/units').then((r) => r.units).catch(() => [])]);
    this.notice = h('div', { class: 'notice', id: 'user-notice', role: 'status', hidden: true });
    this.list = h('div', { class: 'table-wrap', id: 'user-list' });
    this.tokens = h('div', { id: 'user-tokens' });
    this.modal = modal({ id: 'users-screen', title: t('users.title'), wide: true }, this.createForm(), this.notice, this.list, this.tokens);
    await this.load();
  }

  async load() {
    try {
      this.users = (await getJSON('/api/v1/users')).items;
      this.render();
    } catch (x) {
      this.say(`${t('err.load')}：${x.message}`, true);
    }
  }

  /** say shows a message above the list (a generated password stays until the next one). */
  say(text, error = false) {
    this.notice.hidden = false;
    this.notice.classList.toggle('error', error);
    fill(this.notice, text);
  }

  regionSelect(value, attrs = {}) {
    return h('select', attrs, h('option', { value: '' }, t('users.anyRegion')),
      this.regions.map((r) => h('option', { value: r.code, selected: r.code === value }, `${r.name}（${r.code}）`)));
  }

  /** unitSelect picks the unit a reporter fills the reports of (所属单位). */
  unitSelect(value, attrs = {}) {
    return h('select', attrs, h('option', { value: '' }, t('users.noUnit')),
      this.units.map((u) => h('option', { value: u.code, selected: u.code === value }, `${u.name}（${label('report.group', u.group)}）`)));
  }

  roleSelect(value, attrs = {}) {
    return h('select', attrs, ROLES.map((r) => h('option', { value: r, selected: r === value }, label('role', r))));
  }

  createForm() {
    const username = h('input', { id: 'new-username', required: true, autocomplete: 'off' });
    const name = h('input', { id: 'new-name', autocomplete: 'off' });
    const role = this.roleSelect('planner', { id: 'new-role' });
    const region = this.regionSelect('', { id: 'new-region' });
    const unit = this.unitSelect('', { id: 'new-unit' });
    const password = h('input', { id: 'new-password', type: 'password', autocomplete: 'new-password', placeholder: t('users.generate') });
    return h('form', {
      class: 'form form-inline', id: 'user-create',
      onsubmit: async (e) => {
        e.preventDefault();
        const body = { username: username.value.trim(), display_name: name.value.trim(), role: role.value, region_code: region.value, unit_code: unit.value, password: password.value };
        try {
          const res = await sendJSON('POST', '/api/v1/users', body);
          this.say(res.password ? t('users.createdPw', { name: res.user.username, pw: res.password }) : t('users.created', { name: res.user.username }));
          e.target.reset();
          await this.load();
        } catch (x) {
          this.say(`${t('users.failed')}：${x.message}`, true);
        }
      },
    }, field(t('auth.username'), username), field(t('users.displayName'), name), field(t('users.role'), role),
    field(t('users.region'), region), field(t('users.unitHint'), unit), field(t('auth.password'), password),
    h('button', { type: 'submit', class: 'btn btn-primary', id: 'user-create-submit' }, t('users.create')));
  }

  status(u) {
    if (u.disabled) return h('span', { class: 'badge badge-off' }, t('users.disabled'));
    if (u.locked_until) return h('span', { class: 'badge badge-warn' }, t('users.locked'));
    if (u.must_change_password) return h('span', { class: 'badge' }, t('users.mustChange'));
    return h('span', { class: 'badge badge-on' }, t('users.active'));
  }

  render() {
    const cols = [
      { label: t('auth.username'), cell: (u) => h('strong', {}, u.username) },
      { label: t('users.displayName'), cell: (u) => u.display_name || '—' },
      { label: t('users.role'), cell: (u) => this.roleSelect(u.role, { 'aria-label': t('users.role'), 'data-role-of': u.username, onchange: (e) => this.patch(u, { role: e.target.value }) }) },
      { label: t('users.region'), cell: (u) => this.regionSelect(u.region_code || '', { 'aria-label': t('users.region'), onchange: (e) => this.patch(u, { region_code: e.target.value }) }) },
      { label: t('users.unit'), cell: (u) => this.unitSelect(u.unit_code || '', { 'aria-label': t('users.unit'), 'data-unit-of': u.username, onchange: (e) => this.patch(u, { unit_code: e.target.value }) }) },
      { label: t('users.status'), cell: (u) => this.status(u) },
      { label: t('users.pwChanged'), cell: (u) => when(u.password_changed_at) },
      { label: t('users.actions'), cell: (u) => this.actions(u) },
    ];
    fill(this.list, table(cols, this.users, (u) => ({ 'data-user': u.username })));
  }

  actions(u) {
    const btn = (key, onclick, act) => h('button', { type: 'button', class: 'btn btn-small', 'data-action': act, onclick }, t(key));
    return h('div', { class: 'btn-row' },
      btn('users.reset', () => this.reset(u), 'reset'),
      u.disabled ? btn('users.enable', () => this.patch(u, { disabled: false }), 'enable') : btn('users.disable', () => this.patch(u, { disabled: true }), 'disable'),
      u.locked_until ? btn('users.unlock', () => this.patch(u, { locked: false }), 'unlock') : null,
      btn('users.tokens', () => this.showTokens(u), 'tokens'));
  }

  async patch(u, body) {
    try {
      await sendJSON('PATCH', path(u), body);
      toast(t('users.saved'));
    } catch (x) {
      this.say(`${t('users.failed')}：${x.message}`, true);
    }
    await this.load();
  }

  async reset(u) {
    if (!window.confirm(t('users.resetConfirm', { name: u.username }))) return;
    try {
      const res = await sendJSON('POST', path(u, '/password'), {});
      this.say(t('users.resetDone', { name: u.username, pw: res.password }));
    } catch (x) {
      this.say(`${t('users.failed')}：${x.message}`, true);
    }
    await this.load();
  }

  async showTokens(u) {
    this.tokensOf = u;
    let items;
    try {
      items = (await getJSON(path(u, '/tokens'))).items;
    } catch (x) {
      this.say(`${t('err.load')}：${x.message}`, true);
      return;
    }
    const revoke = async (rest) => {
      try { await sendJSON('DELETE', path(u, rest)); } catch (x) { this.say(`${t('users.failed')}：${x.message}`, true); }
      await this.showTokens(u);
    };
    const cols = [
      { label: t('users.tokenName'), cell: (k) => (k.session ? t('users.session') : k.name || '—') },
      { label: t('users.createdAt'), cell: (k) => when(k.created_at) },
      { label: t('users.expires'), cell: (k) => when(k.expires_at) },
      { label: t('users.lastUsed'), cell: (k) => when(k.last_used_at) },
      { label: '', cell: (k) => h('button', { type: 'button', class: 'btn btn-small', onclick: () => revoke(`/tokens/${k.id}`) }, t('users.revoke')) },
    ];
    fill(this.tokens, h('h3', {}, t('users.tokensOf', { name: u.username })),
      items.length ? table(cols, items) : h('p', { class: 'muted' }, t('users.noTokens')),
      items.length ? h('button', { type: 'button', class: 'btn', id: 'revoke-all', onclick: () => revoke('/tokens') }, t('users.revokeAll')) : null);
  }
}
