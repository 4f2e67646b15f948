// 分割: the analyst draws a line across the selected parcel (terra-draw's linestring mode, in an
// instance of its own: prefix td-split), the server answers the pieces it would leave (a dry
// run), shown on the map with their areas; 确认分割 cuts the parcel and the panel shows the
// first piece. Esc or 取消 drops the tool at any step.
import { sendJSON } from '../api.js';
import { loadLib } from '../libs.js';
import { h, toast } from '../dom.js';
import { t, m2, addWords } from '../i18n.js';
import { state, retire } from '../state.js';
import { showBar, hideBar, setPreview, problemText, PREVIEW_COLORS } from './bar.js';

addWords('zh', {
  'split.title': '分割地块', 'split.hint': '在地图上画一条穿过地块的线：单击加点，再次单击最后一点结束。',
  'split.pieces': '分割为 {n} 块，合计 {sum}', 'split.confirm': '确认分割', 'split.redraw': '重画', 'split.cancel': '取消',
  'split.done': '已分割为 {n} 块', 'split.checking': '正在计算分割结果…',
});
addWords('en', {
  'split.title': 'Split parcel', 'split.hint': 'Draw a line across the parcel: click to add points, click the last point again to finish.',
  'split.pieces': '{n} pieces, {sum} in all', 'split.confirm': 'Split', 'split.redraw': 'Redraw', 'split.cancel': 'Cancel',
  'split.done': 'Split into {n} pieces', 'split.checking': 'Working out the pieces…',
});

/** SplitTool cuts one parcel along a drawn line; onDone(children) follows a split. */
export class SplitTool {
  constructor(map, { onDone }) {
    this.map = map;
    this.onDone = onDone;
    this.asset = null;
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && this.asset) this.cancel(); }, true);
  }

  async ensureDraw() {
    if (this.draw) return this.draw;
    await loadLib('terraDraw');
    const td = window.terraDraw;
    const { TerraDrawMapLibreGLAdapter } = window.terraDrawMaplibreGlAdapter;
    const c = '#e8590c';
    this.draw = new td.TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map: this.map, prefixId: 'td-split' }),
      modes: [new td.TerraDrawLineStringMode({ styles: { lineStringColor: c, lineStringWidth: 3, closingPointColor: c, closingPointOutlineColor: '#ffffff' } })],
    });
    this.draw.on('finish', (id) => {
      const f = this.draw.getSnapshot().find((x) => x.id === id);
      if (f && this.asset) this.preview(f.geometry);
    });
    window.__splitDraw = this.draw; // for the browser tests
    return this.draw;
  }

  /** start puts the line tool down on the map for asset a. */
  async start(a) {
    this.cancel();
    this.asset = a;
    this.seq = (this.seq || 0) + 1;
    state.drawing = true;
    this.map.doubleClickZoom.disable();
    showBar('split', h('strong', {}, `${t('split.title')} ${a.code}`), h('span', { class: 'muted' }, t('split.hint')), this.cancelButton());
    const d = await this.ensureDraw();
    if (this.asset !== a) return;
    if (!d.enabled) d.start();
    d.clear();
    d.setMode('linestring');
  }

  cancelButton() {
    return h('button', { type: 'button', class: 'btn btn-small', 'data-test': 'split-cancel', onclick: () => this.cancel() }, t('split.cancel'));
  }

  /** preview asks the server for the pieces the line leaves and shows them. */
  async preview(line) {
    const a = this.asset;
    this.line = line;
    this.draw.setMode('static');
    showBar('split', h('strong', {}, `${t('split.title')} ${a.code}`), t('split.checking'));
    let ans;
    try {
      ans = await sendJSON('POST', `/api/v1/assets/${a.id}/split`, { version: a.version, line, dry_run: true });
    } catch (e) {
      this.refused(e);
      return;
    }
    if (this.asset !== a) return;
    const pieces = ans.pieces.map((p, i) => ({ type: 'Feature', properties: { color: PREVIEW_COLORS[i % PREVIEW_COLORS.length] }, geometry: p.geometry }));
    setPreview(this.map, pieces);
    const sum = ans.pieces.reduce((s, p) => s + p.area_m2, 0);
    showBar('split', h('strong', {}, `${t('split.title')} ${a.code}`),
      h('span', { 'data-test': 'split-summary' }, t('split.pieces', { n: ans.pieces.length, sum: m2(sum) })),
      h('ol', { class: 'edit-pieces' }, ans.pieces.map((p, i) => h('li', { style: { '--c': PREVIEW_COLORS[i % PREVIEW_COLORS.length] } }, m2(p.area_m2)))),
      h('button', { type: 'button', class: 'btn btn-primary btn-small', 'data-test': 'split-confirm', onclick: () => this.confirm() }, t('split.confirm')),
      h('button', { type: 'button', class: 'btn btn-small', onclick: () => this.start(a) }, t('split.redraw')),
      this.cancelButton());
  }

  /** refused shows why the server would not cut, and lets the analyst draw again. */
  refused(e) {
    const a = this.asset;
    showBar('split', h('strong', {}, `${t('split.title')} ${a.code}`), h('span', { class: 'error', role: 'alert' }, problemText(e)),
      h('button', { type: 'button', class: 'btn btn-small', onclick: () => this.start(a) }, t('split.redraw')), this.cancelButton());
  }

  async confirm() {
    const a = this.asset;
    let ans;
    try {
      ans = await retire([a.id], () => sendJSON('POST', `/api/v1/assets/${a.id}/split`, { version: a.version, line: this.line }));
    } catch (e) {
      this.refused(e);
      return;
    }
    this.cancel();
    toast(t('split.done', { n: ans.children.length }));
    this.onDone?.(ans.children);
  }

  /** cancel drops the tool, its line and its preview. */
  cancel() {
    if (!this.asset) return;
    this.asset = null;
    if (this.draw?.enabled) { this.draw.clear(); this.draw.stop(); }
    setPreview(this.map, []);
    hideBar();
    this.map.doubleClickZoom.enable();
    const seq = this.seq;
    setTimeout(() => { if (seq === this.seq) state.drawing = false; }, 350); // the finishing click is still on its way
  }
}
