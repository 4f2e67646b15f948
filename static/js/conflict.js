// The version-conflict editor: when a save is refused because someone else changed the asset first
// (412), the panel keeps what the user typed and shows it beside the current values (and what the
// user started from), so that the user can re-apply it on top of the current version or drop it.
import { h } from './dom.js';
import { t, label, wan } from './i18n.js';

const show = (k, v) => {
  if (v == null || v === '') return '—';
  if (k === 'stage' || k === 'mode') return label(k, v);
  if (k === 'revenue') return wan(v);
  if (typeof v === 'object') return Object.entries(v).map(([f, x]) => `${t(`f.${f}`)}：${x}`).join('；');
  return String(v);
};

/**
 * conflictBox lists each field the user changed: its value when the user began, what the user typed
 * and its current value (marked where someone else changed it). Re-applying submits the form, which
 * the panel has refilled with the typed values on top of the current version.
 */
export function conflictBox({ base, mine, current, onDiscard }) {
  const fields = Object.keys(mine).filter((k) => k !== 'version' && k !== 'note');
  const rows = fields.map((k) => {
    const theirs = JSON.stringify(base?.[k] ?? null) !== JSON.stringify(current[k] ?? null);
    return h('tr', { class: theirs ? 'changed' : '', 'data-field': k },
      h('th', { scope: 'row' }, t(`f.${k}`)),
      h('td', {}, show(k, base?.[k])),
      h('td', { class: 'mine', 'data-test': 'conflict-mine' }, show(k, mine[k])),
      h('td', { class: 'theirs', 'data-test': 'conflict-current' }, show(k, current[k])));
  });
  return h('div', { class: 'conflict', role: 'alert', 'data-test': 'conflict' },
    h('strong', {}, t('conflict.title')),
    h('p', { class: 'muted' }, t('conflict.hint', { who: current.events?.length ? lastActor(current.events) : '—' })),
    h('table', { class: 'conflict-table' },
      h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, t('conflict.base')), h('th', {}, t('conflict.mine')), h('th', {}, t('conflict.current')))),
      h('tbody', {}, rows)),
    h('div', { class: 'btn-row' },
      h('button', { class: 'btn btn-primary btn-small', type: 'submit', form: 'edit-form', 'data-test': 'conflict-reapply' }, t('conflict.reapply')),
      h('button', { class: 'btn btn-small', type: 'button', onclick: onDiscard, 'data-test': 'conflict-discard' }, t('conflict.discard'))));
}

/** lastActor names who made the newest change. */
function lastActor(events) {
  const last = [...events].sort((x, y) => String(y.at).localeCompare(String(x.at)))[0];
  return last?.actor || '—';
}
