// 修改密码: a signed-in user changes their own password (POST /api/v1/me/password). When an
// administrator set the password, or it has expired, the change is forced: the dialog cannot be
// dismissed, only completed or left by signing out.
import { h, modal, field, toast } from './dom.js';
import { t } from './i18n.js';
import { sendJSON } from './api.js';

/** passwordDialog opens the dialog; onDone runs after a change, onSignOut when a forced one is refused. */
export function passwordDialog({ forced = false, onDone, onSignOut }) {
  const input = (id, auto) => h('input', { id, type: 'password', autocomplete: auto, required: true });
  const current = input('pw-current', 'current-password');
  const next = input('pw-new', 'new-password');
  const again = input('pw-again', 'new-password');
  const err = h('p', { class: 'error', role: 'alert', id: 'pw-error', hidden: true });
  let done = false;
  const submit = async (e) => {
    e.preventDefault();
    err.hidden = true;
    if (next.value !== again.value) { err.hidden = false; err.textContent = t('pw.mismatch'); return; }
    try {
      await sendJSON('POST', '/api/v1/me/password', { current: current.value, new: next.value });
      done = true;
      m.close();
      toast(t('pw.changed'));
      onDone?.();
    } catch (x) {
      err.hidden = false;
      err.textContent = x.problem?.invalid_params?.[0]?.name === 'current' ? t('pw.badCurrent') : `${t('pw.refused')}：${x.message}`;
    }
  };
  const m = modal({ id: 'password-dialog', title: t('pw.title'), closable: !forced, onClose: () => { if (forced && !done) onSignOut?.(); } },
    forced ? h('p', { class: 'notice', 'data-test': 'pw-forced' }, t('pw.forced')) : null,
    h('form', { class: 'form', onsubmit: submit },
      field(t('pw.current'), current), field(t('pw.new'), next), field(t('pw.again'), again),
      h('p', { class: 'hint' }, t('pw.rule')), err,
      h('div', { class: 'btn-row' },
        h('button', { type: 'submit', class: 'btn btn-primary', id: 'pw-submit' }, t('pw.submit')),
        forced
          ? h('button', { type: 'button', class: 'btn', onclick: () => m.close() }, t('auth.logout'))
          : h('button', { type: 'button', class: 'btn', onclick: () => m.close() }, t('auth.cancel')))));
  current.focus();
}
