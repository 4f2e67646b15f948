// 书签 (issue 13 item 5): saved views — centre, zoom, layers, filters and the open zone or drawn
// query — per user, and shared ones an admin sets for everyone (e.g. one per development zone),
// through /api/v1/bookmarks. A small menu under the map's 书签 button lists them, shared first.
import { getJSON, sendJSON } from '../api.js';
import { h, fill, toast } from '../dom.js';
import { t, addWords } from '../i18n.js';
import { state, on, emit, emptyFilters, KINDS, REFERENCE } from '../state.js';

addWords('zh', {
  'bm.title': '书签', 'bm.shared': '共享书签', 'bm.mine': '我的书签', 'bm.none': '暂无书签',
  'bm.name': '书签名称', 'bm.save': '保存当前视图', 'bm.share': '共享给所有用户', 'bm.saved': '书签已保存',
  'bm.delete': '删除书签 {name}', 'bm.deleted': '书签已删除', 'bm.failed': '书签操作失败',
});
addWords('en', {
  'bm.title': 'Bookmarks', 'bm.shared': 'Shared', 'bm.mine': 'Mine', 'bm.none': 'No bookmarks yet',
  'bm.name': 'Bookmark name', 'bm.save': 'Save this view', 'bm.share': 'Share with every user', 'bm.saved': 'Bookmark saved',
  'bm.delete': 'Delete bookmark {name}', 'bm.deleted': 'Bookmark deleted', 'bm.failed': 'Bookmark failed',
});

/** currentView is the view a bookmark keeps, from the page's state and the map's camera. */
export function currentView(map) {
  const c = map.getCenter();
  return {
    center: [Number(c.lng.toFixed(6)), Number(c.lat.toFixed(6))], zoom: Number(map.getZoom().toFixed(2)),
    layers: [...state.layers], filters: state.filters,
    query: state.zoneQuery ? { zone: state.zoneQuery } : state.drawn ? { drawn: state.drawn } : null,
  };
}

/** Bookmarks is the menu of the map's 书签 button (btn, tools/registry.js), shown to signed-in users. */
export class Bookmarks {
  constructor(map, { btn, session, query, onApply }) {
    // query is the zone/draw query panel (query.js); onApply redraws what follows layers (the legend).
    Object.assign(this, { map, session, query, onApply });
    this.items = [];
    this.btn = btn;
    btn.onclick = () => this.toggle();
    this.menu = h('div', { class: 'bm-menu', id: 'bm-menu', hidden: true });
    const wrap = h('div', { class: 'bm-wrap' });
    btn.replaceWith(wrap);
    wrap.append(btn, this.menu);
    on('session', () => this.render());
    on('lang', () => this.render());
  }

  render() {
    if (!this.session.user) this.close();
    if (!this.menu.hidden) this.renderMenu();
  }

  close() {
    this.menu.hidden = true;
    this.btn.setAttribute('aria-expanded', 'false');
  }

  async toggle() {
    if (!this.menu.hidden) { this.close(); return; }
    this.menu.hidden = false;
    this.btn.setAttribute('aria-expanded', 'true');
    await this.load();
  }

  async load() {
    try { this.items = (await getJSON('/api/v1/bookmarks')).items; } catch (e) { toast(`${t('bm.failed')}：${e.message}`, 'error'); }
    this.renderMenu();
  }

  renderMenu() {
    const admin = this.session.user?.role === 'admin';
    const row = (b) => h('li', { 'data-bookmark': b.id },
      h('button', { type: 'button', class: 'bm-go', onclick: () => this.apply(b) }, b.name),
      !b.shared || admin ? h('button', { type: 'button', class: 'icon-btn bm-del', 'aria-label': t('bm.delete', { name: b.name }), onclick: () => this.remove(b) }, '×') : null);
    const group = (title, list) => (list.length ? [h('h3', {}, title), h('ul', {}, list.map(row))] : null);
    const name = h('input', { id: 'bm-name', placeholder: t('bm.name'), maxlength: 100, 'aria-label': t('bm.name') });
    const share = admin ? h('input', { type: 'checkbox', id: 'bm-share' }) : null;
    fill(this.menu,
      group(t('bm.shared'), this.items.filter((b) => b.shared)),
      group(t('bm.mine'), this.items.filter((b) => !b.shared)),
      this.items.length ? null : h('p', { class: 'hint' }, t('bm.none')),
      h('form', { class: 'bm-form', onsubmit: (e) => { e.preventDefault(); this.save(name.value, share?.checked); } },
        name, share ? h('label', { class: 'bm-share' }, share, t('bm.share')) : null,
        h('button', { type: 'submit', class: 'btn btn-primary btn-small', id: 'bm-save' }, t('bm.save'))));
  }

  async save(name, shared) {
    if (!name.trim()) { this.menu.querySelector('#bm-name').focus(); return; }
    try {
      await sendJSON('POST', '/api/v1/bookmarks', { name: name.trim(), shared: Boolean(shared), view: currentView(this.map) });
      toast(t('bm.saved'));
      await this.load();
    } catch (e) { toast(`${t('bm.failed')}：${e.message}`, 'error'); }
  }

  async remove(b) {
    try {
      await sendJSON('DELETE', `/api/v1/bookmarks/${b.id}`);
      toast(t('bm.deleted'));
      await this.load();
    } catch (e) { toast(`${t('bm.failed')}：${e.message}`, 'error'); }
  }

  /** apply brings a bookmark's view back: layers, filters, query, then the camera. */
  apply(b) {
    const v = b.view;
    this.close();
    if (Array.isArray(v.layers)) state.layers = new Set(v.layers.filter((x) => KINDS.includes(x) || REFERENCE.includes(x)));
    state.filters = { ...emptyFilters(), ...(v.filters || {}) };
    emit('layers');
    emit('filters', { frame: false });
    if (v.query?.zone) this.query.zoneQuery(v.query.zone, { frame: false });
    else if (v.query?.drawn) this.query.drawQuery(v.query.drawn);
    else if (state.zoneQuery || state.drawn) this.query.clear();
    this.map.jumpTo({ center: v.center, zoom: v.zoom });
    this.onApply?.();
  }
}
