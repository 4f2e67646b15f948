// 打印 / 专题图: the current view as a sheet — title, map, legend of the visible layers and the
// colouring, scale bar, north arrow, date, author unit and basemap attribution — on A4 or A3,
// portrait or landscape. The map is drawn again at 300 dpi by a hidden map of the same style
// (MapLibre's pixelRatio). PDF: the server (POST /api/v1/print, internal/mapprint) sets the words
// as real, searchable text around that raster and can add the result list as table pages. PNG:
// the same sheet drawn here on a canvas, for slides and chat.
import { h, modal, field, toast } from '../dom.js';
import { t, label, num, mu, addWords } from '../i18n.js';
import { state, KINDS, REFERENCE } from '../state.js';
import { ApiError } from '../api.js';
import { CJK_FONTS } from '../map.js';
import { colorsFor, valuesFor, KIND_COLORS, ZONE_COLOR, REGION_COLOR } from '../layers.js';

addWords('zh', {
  'print.title': '打印专题图', 'print.sheetTitle': '标题', 'print.unit': '制图单位', 'print.paper': '纸张',
  'print.landscape': '横向', 'print.portrait': '纵向', 'print.table': '附结果列表', 'print.pdf': '生成 PDF', 'print.png': '生成 PNG',
  'print.busy': '正在出图…', 'print.signIn': 'PDF 需登录；PNG 可直接生成', 'print.layers': '图层', 'print.results': '结果列表',
  'print.w.scale': '比例尺', 'print.w.north': '北', 'print.w.date': '制图日期', 'print.w.unit': '制图单位', 'print.w.crs': '坐标系',
  'print.w.source': '底图', 'print.w.page': '第 %d 页', 'print.w.km': '千米', 'print.dpi': '地图 300 dpi', 'print.firstRows': '前 {n} 条，共 {total} 条',
});
addWords('en', {
  'print.title': 'Print a map', 'print.sheetTitle': 'Title', 'print.unit': 'Made by', 'print.paper': 'Paper',
  'print.landscape': 'Landscape', 'print.portrait': 'Portrait', 'print.table': 'Add the result list', 'print.pdf': 'Make PDF', 'print.png': 'Make PNG',
  'print.busy': 'Rendering…', 'print.signIn': 'PDF needs a sign-in; PNG works without', 'print.layers': 'Layers', 'print.results': 'Results',
  'print.w.scale': 'Scale', 'print.w.north': 'N', 'print.w.date': 'Date', 'print.w.unit': 'Made by', 'print.w.crs': 'CRS',
  'print.w.source': 'Basemap', 'print.w.page': 'page %d', 'print.w.km': 'km', 'print.dpi': 'map at 300 dpi', 'print.firstRows': 'first {n} of {total}',
});

/** DPI is the resolution the map is drawn at for print. */
export const DPI = 300;
const UNIT_KEY = 'onemap.print.unit';
const TABLE_ROWS = 400; // the server's bound (mapprint.maxTableRows): the sheet travels as a form field of at most 64 kB
const CRS = 'CGCS2000 (EPSG:4490)';

/**
 * sheetLayout mirrors internal/mapprint's page (mm): 10 mm margins, a 14 mm title band and a
 * footer of at least 40 mm. The server fits whatever raster it gets into its frame, so the
 * aspect taken from here only needs to be close.
 */
export function sheetLayout(paper, orientation) {
  let [w, hh] = paper === 'A3' ? [297, 420] : [210, 297];
  if (orientation === 'landscape') [w, hh] = [hh, w];
  const frame = { x: 10, y: 24, w: w - 20, h: hh - 20 - 14 - 40 - 2 };
  return { w, h: hh, frame, footer: { x: 10, y: frame.y + frame.h + 2, w: w - 20, h: 40 } };
}

/** metresPerPixel is the ground size of one CSS pixel at lat and zoom (512-pixel tiles). */
export const metresPerPixel = (lat, zoom) => (40075016.686 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** zoom);

/**
 * renderMap draws map's view again in a hidden map of the frame's aspect, pxW pixels wide:
 * {blob (JPEG), width, height, metresPerPixel}. The hidden map's CSS size fits the frame's
 * aspect inside the view, so the sheet shows what the screen shows (or a little less).
 */
export async function renderMap(map, pxW, pxH) {
  const view = map.getContainer();
  const scale = Math.min(view.clientWidth / pxW, view.clientHeight / pxH);
  const [cssW, cssH] = [Math.round(pxW * scale), Math.round(pxH * scale)];
  const box = h('div', { class: 'print-stage', style: { width: `${cssW}px`, height: `${cssH}px` } });
  document.body.append(box);
  const twin = new maplibregl.Map({
    container: box, style: map.getStyle(), center: map.getCenter(), zoom: map.getZoom(), bearing: map.getBearing(),
    pixelRatio: pxW / cssW, maxCanvasSize: [16384, 16384], preserveDrawingBuffer: true, interactive: false,
    attributionControl: false, fadeDuration: 0, localIdeographFontFamily: CJK_FONTS,
  });
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(t('err.load'))), 120_000);
      twin.once('idle', () => { clearTimeout(timer); resolve(); });
    });
    const canvas = twin.getCanvas();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.92));
    const ratio = canvas.width / cssW; // MapLibre may have clamped it to the GPU's limit
    return { blob, width: canvas.width, height: canvas.height, metresPerPixel: metresPerPixel(map.getCenter().lat, map.getZoom()) / ratio };
  } finally {
    twin.remove();
    box.remove();
  }
}

/** attribution is the attributions of the sources the map shows, tags stripped. */
function attribution(map) {
  const style = map.getStyle();
  const shown = new Set(style.layers.filter((l) => l.source && l.layout?.visibility !== 'none').map((l) => l.source));
  const texts = [...shown].map((s) => style.sources[s]?.attribution).filter(Boolean).map((a) => a.replace(/<[^>]*>/g, '').trim());
  return [...new Set(texts)].join(' · ');
}

/** legendGroups are the visible layers and the colouring with each class's count and area. */
export function legendGroups(legend) {
  const layerColor = (k) => KIND_COLORS[k] || (k === 'zone' ? ZONE_COLOR : REGION_COLOR);
  const layerName = (k) => (REFERENCE.includes(k) ? t(`layer.${k}`) : label('kind', k));
  const by = state.colorBy;
  const c = legend?.byColor?.by === by ? legend.byColor : null;
  return [
    { title: t('print.layers'), items: [...KINDS, ...REFERENCE].filter((k) => state.layers.has(k)).map((k) => ({ color: layerColor(k), label: layerName(k) })) },
    { title: `${t('legend')} · ${t(by)}`, items: valuesFor(by).map((v) => ({
      color: colorsFor(by)[v], label: label(by === 'mode' ? 'mode.long' : by, v),
      note: c ? `${num(c.count[v] || 0, 0)} ${t('unit.count')} · ${mu(c.area[v] || 0, 0)}` : '',
    })) },
  ];
}

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** words are the sheet's fixed words in the language shown (mapprint.Words). */
const words = () => Object.fromEntries(['scale', 'north', 'date', 'unit', 'crs', 'source', 'page', 'km'].map((k) => [k, t(`print.w.${k}`)])
  .concat([['metre', t('unit.m')], ['legend', t('legend')], ['results', t('print.results')]]));

/** PrintTool is the 打印 map button and its dialog. */
export class PrintTool {
  /** results is the result list (its rows go on table pages); legend counts the classes. */
  /** btn is its button in the map's tool group (tools/registry.js). */
  constructor(map, { btn, results, legend, session }) {
    Object.assign(this, { map, results, legend, session });
    btn.onclick = () => this.open();
  }

  open() {
    const choice = (name, values, checked) => h('div', { class: 'segmented', role: 'radiogroup' }, values.map(([v, text]) => h('label', {},
      h('input', { type: 'radio', name, value: v, checked: v === checked }), h('span', {}, text))));
    this.form = h('form', { class: 'print-form', 'data-test': 'print-form', onsubmit: (e) => e.preventDefault() },
      field(t('print.sheetTitle'), h('input', { name: 'title', value: t('app.title'), maxlength: 100, 'data-test': 'print-title' })),
      field(t('print.unit'), h('input', { name: 'unit', value: localStorage.getItem(UNIT_KEY) || '', maxlength: 100, 'data-test': 'print-unit' })),
      h('div', { class: 'form-field' }, h('span', {}, t('print.paper')), h('div', { class: 'print-paper' }, // not field(): no label around labels
        choice('paper', [['A4', 'A4'], ['A3', 'A3']], 'A4'),
        choice('orientation', [['landscape', t('print.landscape')], ['portrait', t('print.portrait')]], 'landscape'))),
      h('label', { class: 'print-check' }, h('input', { type: 'checkbox', name: 'table', 'data-test': 'print-table' }), ' ', t('print.table')),
      h('p', { class: 'hint' }, `${t('print.dpi')} · ${CRS}`, this.session.user ? '' : ` · ${t('print.signIn')}`),
      h('div', { class: 'print-actions' },
        h('button', { type: 'button', class: 'btn btn-primary', 'data-test': 'print-pdf', disabled: !this.session.user, onclick: () => this.make('pdf') }, t('print.pdf')),
        h('button', { type: 'button', class: 'btn', 'data-test': 'print-png', onclick: () => this.make('png') }, t('print.png'))),
      h('p', { class: 'print-status', 'data-test': 'print-status', 'aria-live': 'polite' }));
    this.dlg = modal({ id: 'print-dlg', title: t('print.title') }, this.form);
  }

  /** sheet is what the form and the map say, in mapprint.Sheet's shape (the raster's scale added later). */
  async sheet() {
    const f = new FormData(this.form);
    localStorage.setItem(UNIT_KEY, f.get('unit'));
    return {
      title: String(f.get('title')).trim(), unit: String(f.get('unit')).trim(), paper: f.get('paper'), orientation: f.get('orientation'),
      date: today(), bearing: this.map.getBearing(), attribution: attribution(this.map), crs: CRS,
      legend: legendGroups(this.legend), table: f.get('table') ? await this.table() : undefined, words: words(),
    };
  }

  /** table is the result list as text: its first TABLE_ROWS rows, the title saying so when there are more. */
  async table() {
    const src = this.results.source;
    const data = src?.items ? { items: src.items } : src?.fetchPage ? await src.fetchPage(0, TABLE_ROWS) : this.results.data;
    const items = data?.items || [];
    const total = data?.total ?? items.length;
    const cols = [['code', (a) => a.code], ['name', (a) => a.name || ''], ['kind', (a) => label('kind', a.kind)],
      ['region', (a) => a.region_name || a.region_code || ''], ['area_mu', (a) => num(a.area_mu)], ['book_value', (a) => num(a.book_value)],
      ['mode', (a) => label('mode', a.mode)], ['stage', (a) => label('stage', a.stage)]];
    const rows = items.slice(0, TABLE_ROWS);
    const title = src?.title || t('print.results');
    return { title: rows.length < total ? `${title}（${t('print.firstRows', { n: rows.length, total })}）` : title,
      columns: cols.map(([k]) => t(`col.${k}`)), rows: rows.map((a) => cols.map(([, v]) => String(v(a) ?? ''))) };
  }

  async make(format) {
    const status = this.form.querySelector('[data-test="print-status"]');
    const buttons = [...this.form.querySelectorAll('.print-actions button')];
    buttons.forEach((b) => { b.disabled = true; });
    status.textContent = t('print.busy');
    try {
      const sheet = await this.sheet();
      const { frame, w } = sheetLayout(sheet.paper, sheet.orientation);
      const px = (mm) => Math.round((mm / 25.4) * DPI);
      const map = await renderMap(this.map, px(frame.w), px(frame.h));
      sheet.metres_per_pixel = map.metresPerPixel;
      const file = format === 'pdf' ? await this.pdf(sheet, map) : await drawPNG(sheet, map, px(w) / w);
      download(file, `${sheet.title || 'onemap'}-${sheet.date}.${format}`);
      status.textContent = '';
    } catch (e) {
      status.textContent = e.message;
      toast(e.message, 'error');
    } finally {
      buttons.forEach((b) => { b.disabled = b.dataset.test === 'print-pdf' && !this.session.user; });
    }
  }

  async pdf(sheet, map) {
    const body = new FormData();
    body.append('sheet', JSON.stringify(sheet));
    body.append('file', map.blob, 'map.jpg');
    const res = await fetch('/api/v1/print', { method: 'POST', body, headers: { Accept: 'application/pdf, application/problem+json' } });
    if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
    return res.blob();
  }
}

function download(blob, name) {
  const a = h('a', { href: URL.createObjectURL(blob), download: name.replace(/[\\/:*?"<>|]/g, '_'), hidden: true });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 60_000);
}

/**
 * drawPNG draws the sheet on a canvas at pxPerMM (the map's resolution): the same page as the
 * PDF's, its words as pixels. Resolves to a PNG blob.
 */
async function drawPNG(sheet, map, pxPerMM) {
  const { w, h: hh, frame, footer } = sheetLayout(sheet.paper, sheet.orientation);
  const canvas = Object.assign(document.createElement('canvas'), { width: Math.round(w * pxPerMM), height: Math.round(hh * pxPerMM) });
  const g = canvas.getContext('2d');
  const mm = (v) => v * pxPerMM;
  const text = (s, x, y, pt, align = 'left', color = '#14202d') => {
    g.font = `${mm(pt * 0.3528)}px ${getComputedStyle(document.body).fontFamily}`;
    Object.assign(g, { fillStyle: color, textAlign: align, textBaseline: 'alphabetic' });
    g.fillText(s, mm(x), mm(y));
  };
  g.fillStyle = '#fff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  text(sheet.title, w / 2, 20, 18, 'center');
  const img = await createImageBitmap(map.blob);
  const k = Math.min(mm(frame.w) / img.width, mm(frame.h) / img.height);
  g.drawImage(img, mm(frame.x) + (mm(frame.w) - img.width * k) / 2, mm(frame.y) + (mm(frame.h) - img.height * k) / 2, img.width * k, img.height * k);
  g.strokeStyle = '#3c4655';
  g.lineWidth = mm(0.4);
  g.strokeRect(mm(frame.x), mm(frame.y), mm(frame.w), mm(frame.h));
  let row = 0;
  for (const grp of sheet.legend) {
    for (const it of [{ heading: grp.title }, ...grp.items]) {
      const x = footer.x + Math.floor(row / 7) * 46;
      const y = footer.y + 3 + (row % 7) * 4.8;
      if (it.color) { g.fillStyle = it.color; g.fillRect(mm(x + 0.5), mm(y + 0.8), mm(5), mm(3.2)); }
      text(it.heading || [it.label, it.note].filter(Boolean).join('  '), it.heading ? x : x + 7, y + 3.4, it.heading ? 9.5 : 8.5);
      row++;
    }
  }
  const info = footer.x + footer.w - 84 + 2;
  const mpm = (sheet.metres_per_pixel * pxPerMM) / k; // ground metres per mm of the printed map
  const [metres, bar] = scaleBar(mpm, 60);
  text(`${sheet.words.scale} ${fraction(mpm)}`, info, footer.y + 6, 9);
  g.fillStyle = '#28323f';
  g.fillRect(mm(info), mm(footer.y + 9), mm(bar), mm(1.6));
  text(`0 — ${metres >= 1000 ? `${metres / 1000} ${sheet.words.km}` : `${metres} ${sheet.words.metre}`}`, info, footer.y + 14, 7.5);
  [[sheet.words.unit, sheet.unit], [sheet.words.date, sheet.date], [sheet.words.crs, sheet.crs], [sheet.words.source, sheet.attribution]]
    .filter(([, v]) => v).forEach(([k2, v], i) => text(`${k2}：${v}`, info, footer.y + 19 + i * 4.4, 8, 'left', '#323c4b'));
  text(`▲ ${sheet.words.north}`, frame.x + frame.w - 4, frame.y + 8, 11, 'right');
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}

/** fraction is the scale 1:N, N to three significant figures grouped by thousands, as the PDF writes it (mapprint.scaleText). */
function fraction(metresPerMM) {
  let n = metresPerMM * 1000;
  if (n >= 1000) { const p = 10 ** (Math.floor(Math.log10(n)) - 2); n = Math.round(n / p) * p; }
  return `1:${String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')}`;
}

/** scaleBar is a round length (1, 2, 5 × 10ⁿ m) at most maxMM long on paper, and its length in mm. */
function scaleBar(metresPerMM, maxMM) {
  const p = 10 ** Math.floor(Math.log10(metresPerMM * maxMM));
  const m = [5, 2, 1].map((f) => f * p).find((v) => v <= metresPerMM * maxMM) || p;
  return [m, m / metresPerMM];
}
