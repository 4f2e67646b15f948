// Signing in: POST /api/v1/login sets the HttpOnly cookie onemap_token, so later same-origin
// requests carry it; the page keeps only the user (never the token) to show who is signed in.
// Planners, analysts and admins may export through the server; analysts and admins may edit.
// Every signed-in user may change their password (修改密码); a password an administrator set, or
// an expired one, must be changed before anything else. Admins also reach 用户管理 and 审计日志;
// reporters, reviewers and analysts reach 月报 from the top bar, admins from 系统管理.
import { h, $, toast, fill } from './dom.js';
import { t } from './i18n.js';
import { sendJSON, getJSON } from './api.js';
import { emit } from './state.js';
import { passwordDialog } from './password.js';
import { UsersScreen } from './users.js';
import { AuditScreen } from './audit.js';
import { PlacesScreen } from './places.js';
import { ReportsScreen, REPORT_ROLES, awaitingReview } from './reports.js';
import { TargetsScreen } from './targets.js';

const KEY = 'onemap.user';

/**
 * adminMenu gathers the administrators' screens under one 系统管理 menu of the top bar (月报
 * included, so that a phone's top bar keeps its width).
 */
function adminMenu(user) {
  const item = (id, label, open) => h('button', { class: 'btn btn-ghost', type: 'button', id, role: 'menuitem',
    onclick: (e) => { e.currentTarget.closest('details').open = false; open(); } }, label);
  return h('details', { class: 'admin-menu', id: 'admin-menu' },
    h('summary', { class: 'btn btn-ghost', id: 'open-admin' }, t('admin.menu')),
    h('div', { class: 'menu', role: 'menu' },
      item('open-users', t('users.title'), () => new UsersScreen().open()),
      item('open-audit', t('audit.title'), () => new AuditScreen().open()),
      item('open-places', t('places.title'), () => new PlacesScreen().open()),
      item('open-targets', t('targets.title'), () => new TargetsScreen().open()),
      item('open-reports', t('reports.title'), () => new ReportsScreen(user).open())));
}

/** reportsButton opens 月报; a reviewer's shows how many reports await review. */
function reportsButton(user) {
  const badge = h('span', { class: 'tab-badge', id: 'reports-badge', hidden: true });
  const count = () => {
    if (user.role !== 'reviewer') return;
    awaitingReview().then((n) => { badge.hidden = !n; badge.textContent = String(n); }).catch(() => {});
  };
  count();
  return h('button', { class: 'btn btn-ghost', type: 'button', id: 'open-reports',
    onclick: () => new ReportsScreen(user, { onChange: count }).open() }, t('reports.title'), badge);
}

/** Session holds the signed-in user (or null) and draws the 登录 / 退出 control. */
export class Session {
  constructor(el) {
    this.el = el;
    try { this.user = JSON.parse(localStorage.getItem(KEY) || 'null'); } catch { this.user = null; }
    this.formOpen = false;
  }

  /** check confirms a remembered user with /api/v1/me (anonymous visitors make no request). */
  async check() {
    if (!this.user) return;
    try { this.set(await getJSON('/api/v1/me')); } catch { this.set(null); }
    this.forceChange();
  }

  /** forceChange opens the password dialog, not to be dismissed, when the password must change. */
  forceChange() {
    if (!this.user?.must_change_password) return;
    passwordDialog({
      forced: true,
      onDone: () => this.set({ ...this.user, must_change_password: false }),
      onSignOut: () => this.logout(),
    });
  }

  set(user) {
    this.user = user;
    if (user) localStorage.setItem(KEY, JSON.stringify(user)); else localStorage.removeItem(KEY);
    this.render();
    emit('session', user);
  }

  canExport() { return ['planner', 'analyst', 'admin'].includes(this.user?.role); }

  canEdit() { return ['analyst', 'admin'].includes(this.user?.role); }

  async login(username, password) {
    const res = await sendJSON('POST', '/api/v1/login', { username, password });
    this.formOpen = false;
    this.set(res.user);
    toast(t('auth.welcome', { name: res.user.display_name || res.user.username }));
    this.forceChange();
  }

  async logout() {
    try { await sendJSON('POST', '/api/v1/logout', {}); } catch { /* the cookie may be gone already */ }
    this.set(null);
  }

  form() {
    const user = h('input', { id: 'login-user', name: 'username', autocomplete: 'username', required: true, placeholder: t('auth.username'), 'aria-label': t('auth.username') });
    const pass = h('input', { id: 'login-pass', name: 'password', type: 'password', autocomplete: 'current-password', required: true, placeholder: t('auth.password'), 'aria-label': t('auth.password') });
    const err = h('p', { class: 'error', role: 'alert', hidden: true });
    return h('form', {
      class: 'login-form', id: 'login-form',
      onsubmit: async (e) => {
        e.preventDefault();
        try {
          await this.login(user.value.trim(), pass.value);
        } catch (x) {
          err.hidden = false;
          err.textContent = x.status === 401 ? t('auth.bad') : x.status === 429 ? t('auth.locked') : `${t('err.load')}：${x.message}`;
        }
      },
    }, user, pass, h('button', { class: 'btn btn-primary btn-small', type: 'submit', id: 'login-submit' }, t('auth.login')),
    h('button', { class: 'btn btn-small', type: 'button', onclick: () => { this.formOpen = false; this.render(); } }, t('auth.cancel')), err);
  }

  render() {
    if (this.user) {
      fill(this.el,
        h('span', { class: 'who', 'data-test': 'user' }, `${this.user.display_name || this.user.username}（${t(`role.${this.user.role}`)}）`),
        REPORT_ROLES.includes(this.user.role) && this.user.role !== 'admin' ? reportsButton(this.user) : null,
        this.user.role === 'admin' ? adminMenu(this.user) : null,
        h('button', { class: 'btn btn-ghost', type: 'button', id: 'change-password', onclick: () => passwordDialog({}) }, t('pw.title')),
        h('button', { class: 'btn btn-ghost', type: 'button', id: 'logout', onclick: () => this.logout() }, t('auth.logout')));
      return;
    }
    this.el.replaceChildren(...[
      h('button', { class: 'btn btn-ghost', type: 'button', id: 'login', 'aria-expanded': String(this.formOpen), onclick: () => { this.formOpen = !this.formOpen; this.render(); } }, t('auth.login')),
      this.formOpen ? this.form() : null].filter(Boolean));
    if (this.formOpen) $('#login-user', this.el)?.focus();
  }
}
