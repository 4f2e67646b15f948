// The sign-in gate: when the server allows no anonymous reads (ONEMAP_ANONYMOUS_READ=false) the
// first request answers 401, and the page shows only the sign-in form; once signed in it loads
// again with the session cookie.
import { $, h } from './dom.js';
import { t } from './i18n.js';
import { on } from './state.js';
import { Session } from './auth.js';

/** signInFirst replaces the map's loading note with the sign-in form and reloads after sign-in. */
export function signInFirst() {
  const box = h('div', { class: 'session gate-form' });
  $('#map-loading')?.replaceWith(h('section', { class: 'gate', id: 'gate', role: 'dialog', 'aria-labelledby': 'gate-title' },
    h('h2', { id: 'gate-title' }, t('auth.required')), box));
  document.body.classList.add('gated');
  const session = new Session(box);
  session.user = null;
  session.formOpen = true;
  on('session', (user) => { if (user) location.reload(); });
  session.render();
}
