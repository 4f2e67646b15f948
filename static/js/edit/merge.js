// 合并: from the selected parcel, the analyst clicks (or shift-clicks) the neighbours to join it;
// the bar lists them (× takes one out) and the map marks them; 确认合并 joins them into one
// parcel (the first gives it its code and fields) and the panel shows it. Esc or 取消 ends it.
import { api, sendJSON } from '../api.js';
import { h, toast } from '../dom.js';
import { t, mu, addWords } from '../i18n.js';
import { state, retire } from '../state.js';
import { ASSET_LAYER_IDS } from '../layers.js';
import { showBar, hideBar, setPreview, problemText } from './bar.js';

addWords('zh', {
  'merge.title': '合并地块', 'merge.hint': '在地图上单击（或 Shift+单击）相邻地块加入合并，再次单击移出。',
  'merge.confirm': '确认合并', 'merge.cancel': '取消', 'merge.done': '已合并为 {code}', 'merge.remove': '移出',
  'merge.count': '已选 {n} 块，合计 {sum}',
});
addWords('en', {
  'merge.title': 'Merge parcels', 'merge.hint': 'Click (or shift-click) neighbouring parcels on the map to add them; click again to take one out.',
  'merge.confirm': 'Merge', 'merge.cancel': 'Cancel', 'merge.done': 'Merged into {code}', 'merge.remove': 'Remove',
  'merge.count': '{n} parcels, {sum} in all',
});

const MERGE_COLOR = '#7048e8';

/** MergeTool collects parcels to join; onDone(asset) follows a merge. */
export class MergeTool {
  constructor(map, { onDone }) {
    this.map = map;
    this.onDone = onDone;
    this.picked = null; // the assets to merge, in order, while the tool is active
    map.on('click', (e) => this.click(e));
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && this.picked) this.cancel(); }, true);
  }

  start(a) {
    this.cancel();
    this.seq = (this.seq || 0) + 1;
    this.picked = [a];
    state.drawing = true; // map clicks now pick parcels for the merge, not for the panel
    this.map.boxZoom.disable(); // shift-click picks too, instead of starting a box zoom
    this.render();
  }

  /** click adds the parcel under the pointer to the merge, or takes it out. */
  async click(e) {
    if (!this.picked) return;
    const layers = ASSET_LAYER_IDS.filter((id) => this.map.getLayer(id));
    const f = this.map.queryRenderedFeatures(e.point, { layers })[0];
    const id = f ? Number(f.id ?? f.properties?.id) : NaN;
    if (!Number.isFinite(id)) return;
    const at = this.picked.findIndex((a) => a.id === id);
    if (at > 0) { this.picked.splice(at, 1); this.render(); return; }
    if (at === 0) return;
    const a = await api.asset(id);
    if (!this.picked || this.picked.some((x) => x.id === id)) return;
    this.picked.push(a);
    this.render();
  }

  render(error) {
    const list = this.picked;
    setPreview(this.map, list.map((a) => ({ type: 'Feature', properties: { color: MERGE_COLOR }, geometry: a.geometry })));
    const sum = list.reduce((s, a) => s + (a.area_mu || 0), 0);
    showBar('merge', h('strong', {}, t('merge.title')),
      list.length < 2 ? h('span', { class: 'muted' }, t('merge.hint')) : h('span', { 'data-test': 'merge-summary' }, t('merge.count', { n: list.length, sum: mu(sum) })),
      h('ol', { class: 'edit-pieces' }, list.map((a, i) => h('li', { style: { '--c': MERGE_COLOR }, 'data-test': 'merge-item' },
        h('code', {}, a.code), ` ${mu(a.area_mu)}`,
        i > 0 ? h('button', { type: 'button', class: 'link', 'aria-label': t('merge.remove'), onclick: () => { list.splice(i, 1); this.render(); } }, '×') : null))),
      error ? h('span', { class: 'error', role: 'alert' }, error) : null,
      h('button', { type: 'button', class: 'btn btn-primary btn-small', 'data-test': 'merge-confirm', disabled: list.length < 2, onclick: () => this.confirm() }, t('merge.confirm')),
      h('button', { type: 'button', class: 'btn btn-small', onclick: () => this.cancel() }, t('merge.cancel')));
  }

  async confirm() {
    const list = this.picked;
    const versions = Object.fromEntries(list.map((a) => [a.id, a.version]));
    let merged;
    try {
      merged = await retire(list.map((a) => a.id), () => sendJSON('POST', '/api/v1/assets/merge', { ids: list.map((a) => a.id), versions }));
    } catch (e) {
      this.render(problemText(e));
      return;
    }
    this.cancel();
    toast(t('merge.done', { code: merged.code }));
    this.onDone?.(merged);
  }

  cancel() {
    if (!this.picked) return;
    this.picked = null;
    setPreview(this.map, []);
    hideBar();
    this.map.boxZoom.enable();
    const seq = this.seq;
    setTimeout(() => { if (seq === this.seq) state.drawing = false; }, 350);
  }
}
