// 历史对比 (issue 13 item 9): the one map at a past time against today — a second map drawn from
// tiles ?at=T (stages, modes and outlines rebuilt from the history), over the first with a
// draggable divider (卷帘, past on the left) or beside it (并排, each half showing the same place);
// and what changed between two month ends, or since the past time (GET /api/v1/changes): listed with stage, mode and
// outline changes, narrowed by the filters' kind, region and zone, marked on both maps, exported
// as CSV or Excel; a row opens the asset.
import { getJSON, tileURL } from '../api.js';
import { setTileURL } from '../map.js';
import { h, fill, toast } from '../dom.js';
import { t, addWords, label, mu } from '../i18n.js';
import { state, on } from '../state.js';
import { dataLayers, applyLayerState } from '../layers.js';

addWords('zh', {
  'cmp.title': '历史对比', 'cmp.at': '历史时间', 'cmp.time': '时刻', 'cmp.swipe': '卷帘', 'cmp.side': '并排',
  'cmp.past': '历史 {at}', 'cmp.now': '现状', 'cmp.changes': '变化清单', 'cmp.from': '起（月末）', 'cmp.to': '止（月末）',
  'cmp.list': '查询变化', 'cmp.since': '历史时间至今', 'cmp.count': '共 {n} 宗资产有变化', 'cmp.none': '这段时间没有变化', 'cmp.more': '更多',
  'cmp.created': '新增', 'cmp.retired': '注销（拆分、合并或删除）', 'cmp.outline': '界址变化', 'cmp.close': '关闭历史对比',
  'cmp.failed': '历史对比失败', 'cmp.badDate': '请按 {form} 填写', 'cmp.divider': '拖动对比分隔线',
});
addWords('en', {
  'cmp.title': 'Compare dates', 'cmp.at': 'Past date', 'cmp.time': 'Time', 'cmp.swipe': 'Swipe', 'cmp.side': 'Side by side',
  'cmp.past': 'At {at}', 'cmp.now': 'Today', 'cmp.changes': 'Changes', 'cmp.from': 'From (month end)', 'cmp.to': 'To (month end)',
  'cmp.list': 'List changes', 'cmp.since': 'Since the past date', 'cmp.count': '{n} assets changed', 'cmp.none': 'Nothing changed in this span', 'cmp.more': 'More',
  'cmp.created': 'New', 'cmp.retired': 'Retired (split, merged or deleted)', 'cmp.outline': 'Outline changed', 'cmp.close': 'Close the comparison',
  'cmp.failed': 'Comparison failed', 'cmp.badDate': 'Write it as {form}', 'cmp.divider': 'Drag the divider',
});

/** MARKS is the map source (and layer) marking the listed changes on both maps. */
const MARKS = 'compare-changes';
const PAGE = 50;
const CST = 8 * 3600e3;

/** cstDate is the date (YYYY-MM-DD) in China Standard Time of a moment (ms), days later. */
const cstDate = (ms, days = 0) => new Date(ms + CST + days * 864e5).toISOString().slice(0, 10);
/** monthEnd is the last day (YYYY-MM-DD) of a month YYYY-MM. */
const monthEnd = (m) => { const [y, mo] = m.split('-').map(Number); return new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10); };
/** monthOf is the month YYYY-MM in China Standard Time, months after now. */
const monthOf = (months = 0) => { const d = new Date(Date.now() + CST); d.setUTCDate(1); d.setUTCMonth(d.getUTCMonth() + months); return d.toISOString().slice(0, 7); };

/**
 * FORMS are the ISO forms the fields take, typed or pasted: 2026-12-02, 22:06 (or 22:06:56) and
 * 2026-12. Native date, time and month inputs would show the browser's locale (12/02/2026 10:06 PM
 * under an English Chromium) whatever the page's lang says; these read the same in 中文 and English.
 */
const FORMS = {
  date: { pattern: '\\d{4}-\\d{2}-\\d{2}', placeholder: 'YYYY-MM-DD', probe: (v) => v },
  time: { pattern: '\\d{2}:\\d{2}(:\\d{2})?', placeholder: 'HH:MM:SS', probe: (v) => `2000-01-01T${v}` },
  month: { pattern: '\\d{4}-\\d{2}', placeholder: 'YYYY-MM', probe: (v) => `${v}-01` },
};

/** isoInput is a text field of one of FORMS, with value, calling onchange when changed to a valid one (a real day and time too). */
function isoInput(form, id, value, onchange = () => {}) {
  const { pattern, placeholder, probe } = FORMS[form];
  const input = h('input', { type: 'text', id, value, pattern, placeholder, 'data-form': form, inputmode: 'numeric', autocomplete: 'off',
    spellcheck: 'false', size: placeholder.length, onchange: () => {
      input.setCustomValidity(Number.isNaN(Date.parse(probe(input.value))) ? t('cmp.badDate', { form: placeholder }) : '');
      input.setAttribute('aria-invalid', String(!input.checkValidity()));
      if (input.checkValidity()) onchange();
    } });
  return input;
}

/** change describes one row of the changes list: what became of its stage, mode and outline. */
function change(d) {
  if (d.change !== 'changed') return t(`cmp.${d.change}`);
  const step = (g, v) => (v ? `${label(g, v.from)} → ${label(g, v.to)}` : null);
  return [step('stage', d.stage), step('mode', d.mode), d.outline_changed ? t('cmp.outline') : null].filter(Boolean).join('；');
}

/** CompareTool is the 历史对比 button of the map's tool group, its panel and the second map. */
export class CompareTool {
  /** btn is its button in the map's tool group (tools/registry.js). */
  constructor(map, { btn, openAsset }) {
    Object.assign(this, { map, openAsset, past: null, mode: 'swipe', split: 0.5, items: [], total: 0 });
    this.btn = btn;
    btn.onclick = () => this.toggle();
    this.panel = h('div', { class: 'cmp-panel', id: 'cmp-panel', hidden: true });
    this.date = isoInput('date', 'cmp-date', cstDate(Date.now(), -1), () => this.draw());
    this.time = isoInput('time', 'cmp-time', '23:59:59', () => this.draw());
    this.from = isoInput('month', 'cmp-from', monthOf(-1));
    this.to = isoInput('month', 'cmp-to', monthOf(0));
    this.list = h('div', { class: 'cmp-list', id: 'cmp-list' });
    this.wrap = map.getContainer().parentElement;
    this.render();
    on('lang', () => this.render());
    on('filters', () => this.past && setTileURL(this.past, 'onemap', this.url()));
    for (const e of ['layers', 'colorBy', 'selected']) on(e, () => this.past && applyLayerState(this.past));
  }

  /** at is the chosen past time as RFC 3339 in China Standard Time. */
  get at() {
    const time = this.time.value || '23:59:59';
    return `${this.date.value}T${time.length === 5 ? `${time}:00` : time}+08:00`;
  }

  url() {
    const u = tileURL(state.filters);
    return `${u}${u.includes('?') ? '&' : '?'}at=${encodeURIComponent(this.at)}`;
  }

  render() {
    const radio = (mode) => h('label', { class: 'cmp-mode' }, h('input', { type: 'radio', name: 'cmp-mode', value: mode, checked: this.mode === mode,
      onchange: () => { this.mode = mode; this.layout(); } }), t(`cmp.${mode}`));
    const field = (text, input) => h('label', { class: 'cmp-field' }, h('span', {}, text), input);
    fill(this.panel,
      h('div', { class: 'cmp-head' }, h('strong', {}, t('cmp.title')),
        h('button', { type: 'button', class: 'icon-btn', 'aria-label': t('cmp.close'), onclick: () => this.close() }, '×')),
      h('div', { class: 'cmp-row' }, field(t('cmp.at'), this.date), field(t('cmp.time'), this.time)),
      h('div', { class: 'cmp-row' }, radio('swipe'), radio('side')),
      h('h3', {}, t('cmp.changes')),
      h('div', { class: 'cmp-row' }, field(t('cmp.from'), this.from), field(t('cmp.to'), this.to)),
      h('div', { class: 'cmp-row' },
        h('button', { type: 'button', class: 'btn btn-primary btn-small', id: 'cmp-go', onclick: () => this.listSpan(this.months()) }, t('cmp.list')),
        h('button', { type: 'button', class: 'btn btn-small', id: 'cmp-since', onclick: () => this.listSpan({ from: this.at, to: new Date().toISOString() }) }, t('cmp.since')),
        h('a', { class: 'btn btn-small', id: 'cmp-csv', href: `/api/v1/changes?${this.query({ format: 'csv' })}`, download: '' }, 'CSV'),
        h('a', { class: 'btn btn-small', id: 'cmp-xlsx', href: `/api/v1/changes?${this.query({ format: 'xlsx' })}`, download: '' }, 'Excel')),
      this.list);
    this.renderList();
    this.labels?.();
  }

  toggle() { if (this.panel.hidden) this.open(); else this.close(); }

  open() {
    this.panel.hidden = false;
    this.btn.setAttribute('aria-pressed', 'true');
    if (!this.panel.isConnected) this.wrap.append(this.panel);
    document.body.classList.add('comparing');
    this.draw();
  }

  close() {
    this.panel.hidden = true;
    this.btn.setAttribute('aria-pressed', 'false');
    document.body.classList.remove('comparing');
    this.past?.remove();
    this.past = null;
    this.box?.remove();
    this.divider?.remove();
    this.map.setPadding({ left: 0, right: 0, top: 0, bottom: 0 });
    this.mark(this.map, []);
  }

  /** draw shows the map at the chosen time (made on first use, then only its tiles change). */
  draw() {
    if (this.panel.hidden || !this.date.checkValidity() || !this.time.checkValidity()) return;
    if (this.past) {
      // The same URL again loads nothing, and no idle would come to mark it shown.
      if (this.tilesAt !== this.at) { delete this.box.dataset.at; this.tilesAt = this.at; setTileURL(this.past, 'onemap', this.url()); }
      this.labels();
      return;
    }
    this.tilesAt = this.at;
    this.box = h('div', { class: 'cmp-map', id: 'cmp-map' }, h('div', { class: 'cmp-tag cmp-tag-past' }));
    this.divider = h('div', { class: 'cmp-divider', role: 'separator', 'aria-label': t('cmp.divider'), tabindex: 0 }, h('span', { class: 'cmp-handle' }, '⇔'),
      h('div', { class: 'cmp-tag cmp-tag-now' }));
    this.wrap.querySelector('#map').after(this.box, this.divider);
    const c = this.map.getCenter();
    this.past = new maplibregl.Map({
      container: this.box, interactive: false, attributionControl: false, center: c, zoom: this.map.getZoom(),
      style: { version: 8, sources: { onemap: { type: 'vector', tiles: [this.url()], maxzoom: 16 } },
        layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f4f1ea' } }, ...dataLayers()] },
    });
    window.__compareMap = this.past;
    // data-at tells the time whose tiles are in (a change of time makes the map busy until they are).
    this.past.on('idle', () => { this.box.dataset.at = this.tilesAt; });
    this.past.on('load', () => this.mark(this.past, this.items));
    this.map.on('move', () => this.sync());
    this.map.on('resize', () => this.layout());
    this.dragging();
    this.labels = () => {
      this.box.querySelector('.cmp-tag-past').textContent = t('cmp.past', { at: `${this.date.value} ${this.time.value}` });
      this.divider.querySelector('.cmp-tag-now').textContent = t('cmp.now');
    };
    this.labels();
    this.layout();
  }

  /** layout places the second map and the divider for the mode: clipped at the divider, or the left half. */
  layout() {
    if (!this.past) return;
    const w = this.wrap.querySelector('#map').clientWidth;
    const side = this.mode === 'side';
    const x = side ? w / 2 : Math.round(w * this.split);
    this.box.style.width = side ? `${x}px` : '';
    this.box.style.clipPath = side ? '' : `inset(0 ${w - x}px 0 0)`;
    this.divider.style.left = `${x}px`;
    this.divider.classList.toggle('cmp-fixed', side);
    // Side by side, the first map's centre moves to the middle of its right half: both halves show one place.
    this.map.setPadding({ left: side ? x : 0, right: 0, top: 0, bottom: 0 });
    this.past.resize();
    this.sync();
  }

  sync() {
    if (this.past) this.past.jumpTo({ center: this.map.getCenter(), zoom: this.map.getZoom() });
  }

  /** dragging lets the divider be dragged (mouse, touch or pen) and moved by the arrow keys. */
  dragging() {
    const move = (clientX) => {
      const r = this.wrap.querySelector('#map').getBoundingClientRect();
      this.split = Math.min(0.95, Math.max(0.05, (clientX - r.left) / r.width));
      this.layout();
    };
    this.divider.addEventListener('pointerdown', (e) => {
      if (this.mode === 'side') return;
      this.divider.setPointerCapture(e.pointerId);
      const onMove = (ev) => move(ev.clientX);
      this.divider.addEventListener('pointermove', onMove);
      this.divider.addEventListener('pointerup', () => this.divider.removeEventListener('pointermove', onMove), { once: true });
    });
    this.divider.addEventListener('keydown', (e) => {
      const step = { ArrowLeft: -0.05, ArrowRight: 0.05 }[e.key];
      if (step && this.mode === 'swipe') { this.split = Math.min(0.95, Math.max(0.05, this.split + step)); this.layout(); }
    });
  }

  /** months is the span from the end of the first month to the end of the second. */
  months() {
    const month = (input, months) => (input.value && input.checkValidity() ? input.value : monthOf(months));
    return { from: monthEnd(month(this.from, -1)), to: monthEnd(month(this.to, 0)) };
  }

  /** listSpan lists the changes of a span { from, to } from their first page. */
  listSpan(span) {
    this.span = span;
    return this.load(0);
  }

  /** query is the changes' query string over the listed span (the months' until one is listed), narrowed by the filters' kind, region and zone. */
  query(extra = {}) {
    const p = new URLSearchParams({ ...(this.span || this.months()), ...extra });
    for (const k of ['kind', 'region', 'zone']) if (state.filters[k]?.length) p.set(k, state.filters[k].join(','));
    return p.toString();
  }

  async load(offset) {
    try {
      const res = await getJSON('/api/v1/changes', this.query({ limit: PAGE, offset }));
      this.items = offset ? [...this.items, ...res.items] : res.items;
      this.total = res.total;
      this.listed = true;
    } catch (e) {
      toast(`${t('cmp.failed')}：${e.message}`, 'error');
      return;
    }
    for (const f of ['csv', 'xlsx']) this.panel.querySelector(`#cmp-${f}`).href = `/api/v1/changes?${this.query({ format: f })}`;
    this.renderList();
    this.mark(this.map, this.items);
    if (this.past?.loaded()) this.mark(this.past, this.items);
  }

  renderList() {
    if (!this.total) { fill(this.list, this.listed ? h('p', { class: 'hint' }, t('cmp.none')) : null); return; }
    const row = (d) => h('li', { 'data-asset': d.id },
      h('button', { type: 'button', class: 'cmp-item', onclick: () => this.openAsset(d.id, { fly: true }) },
        h('strong', {}, d.code), ` ${d.name || ''}`,
        h('span', { class: `cmp-what cmp-${d.change}` }, change(d)),
        h('span', { class: 'muted' }, `${label('kind', d.kind)} · ${mu(d.area_mu)} · ${cstDate(Date.parse(d.changed_at))}`)));
    fill(this.list, h('p', { class: 'cmp-count' }, t('cmp.count', { n: this.total })), h('ul', {}, this.items.map(row)),
      this.items.length < this.total ? h('button', { type: 'button', class: 'btn btn-small', onclick: () => this.load(this.items.length) }, t('cmp.more')) : null);
  }

  /** mark rings the listed changes on a map (a point on each: they show at every zoom). */
  mark(map, items) {
    const data = { type: 'FeatureCollection', features: items.filter((d) => d.center).map((d) => ({ type: 'Feature', id: d.id,
      properties: { id: d.id, change: d.change }, geometry: { type: 'Point', coordinates: d.center } })) };
    if (map.getSource(MARKS)) { map.getSource(MARKS).setData(data); return; }
    if (!items.length) return;
    map.addSource(MARKS, { type: 'geojson', data });
    map.addLayer({ id: MARKS, type: 'circle', source: MARKS, paint: { 'circle-radius': 9, 'circle-color': 'rgba(0,0,0,0)',
      'circle-stroke-width': 3, 'circle-stroke-color': ['match', ['get', 'change'], 'created', '#2f9e44', 'retired', '#868e96', '#d6249f'] } });
  }
}
