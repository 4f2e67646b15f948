// 来源/去向 of an asset in its panel: the parcels it was split or merged from and into, each a
// link to open it (a retired one is shown, not linked: its page is gone, its history stays).
import { h } from '../dom.js';
import { t, addWords } from '../i18n.js';

addWords('zh', { 'lineage.title': '来源/去向', 'lineage.from': '来源', 'lineage.to': '去向', 'lineage.split': '分割', 'lineage.merge': '合并', 'lineage.retired': '已注销' });
addWords('en', { 'lineage.title': 'Lineage', 'lineage.from': 'From', 'lineage.to': 'To', 'lineage.split': 'split', 'lineage.merge': 'merge', 'lineage.retired': 'retired' });

function ref(r, open) {
  const what = `${t(`lineage.${r.action}`)}${r.retired ? ` · ${t('lineage.retired')}` : ''}`;
  const code = h('code', {}, r.code);
  return h('li', { 'data-test': 'lineage-ref' },
    r.retired ? code : h('button', { type: 'button', class: 'link', onclick: () => open(r.id) }, code),
    h('span', { class: 'muted' }, `（${what}）`));
}

/** lineageBlock shows where asset a came from and went to; null when it has no lineage. */
export function lineageBlock(a, open) {
  const from = a.lineage?.from || [];
  const to = a.lineage?.to || [];
  if (!from.length && !to.length) return null;
  const side = (key, list) => (list.length ? [h('dt', {}, t(key)), h('dd', {}, h('ul', { class: 'lineage' }, list.map((r) => ref(r, open))))] : null);
  return [h('h3', {}, t('lineage.title')), h('dl', { class: 'facts', 'data-test': 'lineage' }, side('lineage.from', from), side('lineage.to', to))];
}
