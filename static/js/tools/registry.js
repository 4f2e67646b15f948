// The tools' buttons, drawn at boot without the tools: a tool's module is imported on the first
// press of one of its buttons (or when main.js needs it), so the first paint waits for none of
// them. The registry owns each button (its attributes, words, who sees it); the tool, once made,
// is handed its buttons and takes over their clicks (and their aria-pressed state).
import { h } from '../dom.js';
import { t, addWords } from '../i18n.js';

addWords('zh', {
  'tbl.open': '属性表', 'imp.button': '导入', 'bm.button': '书签', 'cmp.button': '历史对比', 'measure.line': '测距', 'measure.area': '测面',
  'print.btn': '打印', 'split.button': '分割', 'merge.button': '合并',
});
addWords('en', {
  'tbl.open': 'Attribute table', 'imp.button': 'Import', 'bm.button': 'Bookmarks', 'cmp.button': 'Compare dates', 'measure.line': 'Distance', 'measure.area': 'Area', 'print.btn': 'Print', 'split.button': 'Split', 'merge.button': 'Merge',
});

/** mapTools is the map's small tool group (top left, under the legend), made on first use. */
export function mapTools(map) {
  const box = map.getContainer().parentElement;
  return box.querySelector('.map-tools') || box.appendChild(h('div', { class: 'map-tools', role: 'toolbar' }));
}

/** areal says whether an asset is a surface the tools can cut or join. */
export const areal = (a) => ['Polygon', 'MultiPolygon'].includes(a?.geometry?.type);

/**
 * MAP_TOOLS are the buttons of the map's tool group, in order. Each button has its attributes,
 * its word (with title: the word is also its tooltip and accessible name) and an optional icon;
 * shown(ctx) says who sees a tool; make(ctx, btns) imports the tool's module and makes the tool
 * on its buttons.
 */
export const MAP_TOOLS = [
  { name: 'table', buttons: [{ attrs: { 'data-tool': 'table', 'aria-pressed': 'false' }, word: 'tbl.open', icon: '▦ ', title: true }],
    make: async (c, [btn]) => new (await import('./table.js')).AttributeTable(c.map, { btn, results: c.results, session: c.session, onRow: (id) => c.openAsset(id, { fly: true }) }) },
  { name: 'import', buttons: [{ attrs: { id: 'import-open', 'data-test': 'import-open' }, word: 'imp.button' }], shown: (c) => c.session.canEdit(),
    make: async (c, [btn]) => new (await import('./import.js')).ImportTool(c.map, { btn, session: c.session, results: c.results, openAsset: c.openAsset }) },
  { name: 'bookmarks', buttons: [{ attrs: { id: 'bm-open', 'aria-expanded': 'false', 'aria-controls': 'bm-menu' }, word: 'bm.button' }], shown: (c) => Boolean(c.session.user),
    make: async (c, [btn]) => new (await import('./bookmarks.js')).Bookmarks(c.map, { btn, session: c.session, query: c.query, onApply: () => c.legend.render() }) },
  { name: 'compare', buttons: [{ attrs: { 'data-tool': 'compare', 'aria-pressed': 'false' }, word: 'cmp.button' }],
    make: async (c, [btn]) => new (await import('./compare.js')).CompareTool(c.map, { btn, openAsset: c.openAsset }) },
  { name: 'measure', buttons: ['line', 'area'].map((mode) => ({ attrs: { class: `btn btn-small map-tool-btn measure-${mode}`, 'data-test': `measure-${mode}`, 'aria-pressed': 'false' }, word: `measure.${mode}`, title: true })),
    make: async (c, btns) => new (await import('./measure.js')).MeasureTool(c.map, btns) },
  { name: 'print', buttons: [{ attrs: { class: 'btn btn-small map-tool-btn', 'data-test': 'print-open' }, word: 'print.btn' }],
    make: async (c, [btn]) => new (await import('./print.js')).PrintTool(c.map, { btn, results: c.results, legend: c.legend, session: c.session }) },
];

/** once memoises make: the first call makes (a promise), later calls get the same. */
export const once = (make) => {
  let made = null;
  return () => (made ??= make());
};

/** panelButton is a button of the asset panel's edit tools (分割, 合并) that runs run on a click. */
export const panelButton = (test, word, run) => h('button', { type: 'button', class: 'btn btn-small', 'data-test': test, onclick: run }, t(word));

/** NewAssetButton is the map's 新建资产 button, shown to those who may edit; edit/draw-asset.js loads on its first press. */
export class NewAssetButton {
  constructor(map, { session, onStart, onCreated }) {
    this.session = session;
    this.el = h('button', { type: 'button', class: 'btn btn-small new-asset-btn', 'data-test': 'new-asset', onclick: async () => {
      if (document.body.classList.contains('shape-editing')) return;
      onStart?.();
      (await import('../edit/draw-asset.js')).drawAsset(map, onCreated);
    } });
    map.getContainer().append(this.el);
    this.render();
  }

  render() {
    this.el.textContent = t('edit.new.button');
    this.el.hidden = !this.session.canEdit();
  }
}

/** LazyTool is one tool's buttons; the tool itself is made on the first press. */
export class LazyTool {
  /** spec is an entry of MAP_TOOLS (or the like); ctx is what its make and shown take. */
  constructor(spec, ctx) {
    Object.assign(this, { spec, ctx });
    /** tool is the tool, its module imported and the tool made on the first call. */
    this.tool = once(() => spec.make(ctx, this.btns));
    this.btns = spec.buttons.map((b) => h('button', { type: 'button', class: 'btn btn-small', ...b.attrs, onclick: () => this.press(b) }));
    this.render();
  }

  /** render writes the buttons' words in the current language and shows them to whom they are for. */
  render() {
    this.spec.buttons.forEach((b, i) => {
      const btn = this.btns[i];
      const word = t(b.word);
      if (b.icon) btn.replaceChildren(b.icon, h('span', {}, word)); else btn.textContent = word;
      if (b.title) {
        btn.title = word;
        btn.setAttribute('aria-label', word);
      }
      btn.hidden = this.spec.shown ? !this.spec.shown(this.ctx) : false;
    });
  }

  /** press makes the tool and passes the click on to the onclick the tool has given the button. */
  async press(b) {
    const btn = this.btns[this.spec.buttons.indexOf(b)];
    const lazy = btn.onclick;
    await this.tool();
    if (btn.onclick !== lazy) btn.click();
  }
}
