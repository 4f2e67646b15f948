// 盘活项目 (issue 11): the 项目 tab lists the 台账's projects under filters (year, group, unit,
// 工作领域, status, text). Choosing one highlights its member assets together on the map — their
// shapes and a mark on each, so that small parcels show at city zooms too — frames them and shows
// the project's card. An analyst creates a project from the selected asset or the listed ones,
// and adds the selected asset to the open project.
import { getJSON, sendJSON } from './api.js';
import { $, h, fill, toast, modal, field, debounce, keepFocus } from './dom.js';
import { t, label, mu, wan, date, dateTime, addWords } from './i18n.js';
import { framePadding, bboxOf } from './map.js';
import { PHONE } from './phone.js';
import { attachmentsBlock } from './attachments.js';

addWords('zh', {
  'tab.projects': '项目', 'proj.title': '盘活项目', 'proj.new': '新建项目', 'proj.export': '导出台账',
  'proj.year': '年度', 'proj.group': '组别', 'proj.unit': '所属单位', 'proj.field': '工作领域', 'proj.mode': '盘活方式',
  'proj.instrument': '盘活路径', 'proj.status': '状态', 'proj.q': '项目编号或名称', 'proj.code': '项目编号', 'proj.name': '项目名称',
  'proj.holder': '资产持有人', 'proj.responsible_unit': '责任单位', 'proj.responsible_person': '责任人', 'proj.planned': '计划时间',
  'proj.planned_start': '计划开始', 'proj.planned_end': '计划完成', 'proj.expected': '预期盘活效益', 'proj.assets': '资产数',
  'proj.area': '面积', 'proj.benefit': '累计经济效益', 'proj.members': '项目资产', 'proj.empty': '没有符合条件的项目',
  'proj.of': '所属项目', 'proj.count': '共 {n} 个项目', 'proj.close': '关闭项目', 'proj.description': '项目说明',
  'proj.noAssets': '暂无资产', 'proj.history': '变更记录', 'proj.create': '创建项目', 'proj.created': '项目已创建',
  'proj.withSelected': '加入当前选中资产（{code}）', 'proj.withHits': '加入当前列表中的 {n} 宗资产',
  'proj.addSelected': '加入选中资产 {code}', 'proj.added': '已加入项目', 'proj.remove': '移出', 'proj.loading': '正在加载…',
  'pinst.transfer_grant': '出让', 'pinst.transfer': '转让', 'pinst.lease': '出租', 'pinst.equity': '作价出资', 'pinst.mortgage': '抵押融资',
  'pinst.abs': 'ABS', 'pinst.reits': 'REITs', 'pinst.concession': '特许经营', 'pinst.self_use': '自用', 'pinst.other': '其他',
  'pstatus.active': '进行中', 'pstatus.closed': '已关闭',
  'action.assets': '调整资产',
});
addWords('en', {
  'tab.projects': 'Projects', 'proj.title': 'Projects', 'proj.new': 'New project', 'proj.export': 'Export ledger',
  'proj.year': 'Year', 'proj.group': 'Group', 'proj.unit': 'Unit', 'proj.field': 'Field', 'proj.mode': 'Mode',
  'proj.instrument': 'Instrument', 'proj.status': 'Status', 'proj.q': 'Project code or name', 'proj.code': 'Code', 'proj.name': 'Name',
  'proj.holder': 'Holder', 'proj.responsible_unit': 'Responsible unit', 'proj.responsible_person': 'Responsible person', 'proj.planned': 'Planned',
  'proj.planned_start': 'Planned start', 'proj.planned_end': 'Planned end', 'proj.expected': 'Expected benefit', 'proj.assets': 'Assets',
  'proj.area': 'Area', 'proj.benefit': 'Benefit to date', 'proj.members': 'Member assets', 'proj.empty': 'No matching projects',
  'proj.of': 'Project', 'proj.count': '{n} projects', 'proj.close': 'Close project', 'proj.description': 'Description',
  'proj.noAssets': 'No assets yet', 'proj.history': 'History', 'proj.create': 'Create project', 'proj.created': 'Project created',
  'proj.withSelected': 'Add the selected asset ({code})', 'proj.withHits': 'Add the {n} listed assets',
  'proj.addSelected': 'Add selected asset {code}', 'proj.added': 'Added to the project', 'proj.remove': 'Remove', 'proj.loading': 'Loading…',
  'pstatus.active': 'Active', 'pstatus.closed': 'Closed', 'action.assets': 'Assets changed',
  'pinst.transfer_grant': 'Land grant', 'pinst.transfer': 'Transfer', 'pinst.lease': 'Lease', 'pinst.equity': 'Equity contribution',
  'pinst.mortgage': 'Mortgage financing', 'pinst.concession': 'Concession', 'pinst.self_use': 'Own use', 'pinst.other': 'Other',
});

const GROUPS = ['county', 'district', 'city', 'zone', 'enterprise'];
const FIELDS = ['natural_resources', 'water', 'forestry', 'zones_energy', 'data', 'culture_tourism', 'party_gov_assets',
  'institution_assets', 'enterprise_assets', 'concession'];
const MODES = ['use', 'sell', 'lease', 'finance'];
const INSTRUMENTS = ['transfer_grant', 'transfer', 'lease', 'equity', 'mortgage', 'abs', 'reits', 'concession', 'self_use', 'other'];
const FILTERS = ['year', 'group', 'unit', 'field', 'status'];

/** PROJECT_COLOR is the highlight of a project's assets: a cyan no asset colouring uses. */
export const PROJECT_COLOR = '#0bc5ea';
/** PROJECT_LAYERS draw the chosen project's member assets (shapes, outlines, a mark on each). */
export const PROJECT_LAYERS = ['project-fill', 'project-line', 'project-mark'];

const LAYERS = [
  { id: 'project-fill', type: 'fill', source: 'project',
    paint: { 'fill-color': PROJECT_COLOR, 'fill-opacity': 0.45 } },
  { id: 'project-halo', type: 'line', source: 'project', paint: { 'line-color': '#ffffff', 'line-width': 6.5 } },
  { id: 'project-line', type: 'line', source: 'project', paint: { 'line-color': PROJECT_COLOR, 'line-width': 3.5 } },
  { id: 'project-mark', type: 'circle', source: 'project-marks',
    paint: { 'circle-color': PROJECT_COLOR, 'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 4, 14, 6],
      'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5, 'circle-opacity': ['interpolate', ['linear'], ['zoom'], 13, 1, 16, 0.6] } },
];

/** centreOf is the middle of a geometry's bounding box: where a member's mark goes. */
function centreOf(g) {
  const [x0, y0, x1, y1] = bboxOf(g);
  return [(x0 + x1) / 2, (y0 + y1) / 2];
}

/** showProject draws a project's member assets (a FeatureCollection; null clears them). */
export function showProject(map, fc) {
  const features = fc?.features || [];
  const marks = features.map((f) => ({ type: 'Feature', id: f.id, properties: f.properties, geometry: { type: 'Point', coordinates: centreOf(f.geometry) } }));
  const data = { project: { type: 'FeatureCollection', features }, 'project-marks': { type: 'FeatureCollection', features: marks } };
  for (const [id, d] of Object.entries(data)) {
    if (map.getSource(id)) map.getSource(id).setData(d); else map.addSource(id, { type: 'geojson', data: d });
  }
  for (const layer of LAYERS) if (!map.getLayer(layer.id)) map.addLayer(layer);
}

const projectsAPI = {
  list: (q) => getJSON('/api/v1/projects', q),
  get: (id) => getJSON(`/api/v1/projects/${encodeURIComponent(id)}`),
  geojson: (id) => getJSON(`/api/v1/projects/${encodeURIComponent(id)}/geojson`),
  units: () => getJSON('/api/v1/units'),
  create: (body) => sendJSON('POST', '/api/v1/projects', body),
  setAssets: (id, body) => sendJSON('PUT', `/api/v1/projects/${encodeURIComponent(id)}/assets`, body),
};

const select = (name, value, options, onchange) => h('select', { id: `proj-${name}`, 'data-proj-filter': name, onchange },
  h('option', { value: '' }, t('all')), options.map(([v, text]) => h('option', { value: v, selected: String(value) === String(v) }, text)));

const dl = (rows) => h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v == null || v === '' ? '—' : v)]));

/** ProjectsPanel is the 项目 tab: filters, the list, and the chosen project's card. */
export class ProjectsPanel {
  constructor(el, { map, session, openAsset, hits, selected }) {
    // hits() are the ids the result list shows; selected() is the asset open in the panel (or null).
    Object.assign(this, { el, map, session, openAsset, hits, selected });
    this.filters = { year: '', group: '', unit: '', field: '', status: '', q: '' };
    this.units = [];
    this.list = null;
    this.project = null;
    this.reload = debounce(() => this.load(), 250);
  }

  /** init loads the units and the first page of projects, once: when the tab is first opened. */
  async init() {
    if (this.started) return;
    this.started = true;
    this.render();
    try { this.units = (await projectsAPI.units()).units; } catch { this.units = []; }
    await this.load();
  }

  query() {
    const p = new URLSearchParams({ limit: 500 });
    for (const [k, v] of Object.entries(this.filters)) if (v !== '') p.set(k, v);
    return p;
  }

  async load() {
    try {
      this.list = await projectsAPI.list(this.query());
    } catch (e) {
      this.list = { projects: [], total: 0, error: e.message };
    }
    this.render();
  }

  /** select opens project id: its card here, its assets highlighted on the map and framed. */
  async select(id, { frame = true } = {}) {
    if (this.project?.id !== id) { // the same project stays on show while it reloads
      this.project = { id, loading: true };
      this.render();
    }
    try {
      const [p, fc] = await Promise.all([projectsAPI.get(id), projectsAPI.geojson(id)]);
      if (this.project?.id !== id) return;
      this.project = p;
      this.fc = fc;
      showProject(this.map, fc);
      // On a phone the sheet gives way to the map; a tap on 项目 brings the card back.
      if (PHONE.matches) document.body.classList.remove('sheet-open');
      // A phone's map has the folded legend above and the result bar and tabs below the members.
      const padding = PHONE.matches ? { top: 70, left: 30, right: 30, bottom: 190 } : framePadding();
      if (frame && fc.bbox) this.map.fitBounds([[fc.bbox[0], fc.bbox[1]], [fc.bbox[2], fc.bbox[3]]], { padding, maxZoom: 16, duration: 600 });
    } catch (e) {
      this.project = { id, error: e.message };
    }
    this.render();
    if (frame) this.el.scrollTop = 0; // the card heads the tab
  }

  /** refresh shows the list and the open project as they are after a change (a new data version). */
  refresh() {
    if (!this.started) return;
    this.load();
    if (this.project?.id != null) this.select(this.project.id, { frame: false });
  }

  close() {
    this.project = null;
    this.fc = null;
    showProject(this.map, null);
    this.render();
  }

  render() {
    const years = Array.from({ length: 5 }, (_, i) => new Date().getFullYear() + 1 - i);
    const set = (k) => (e) => { this.filters[k] = e.target.value; this.load(); };
    keepFocus(this.el, () => fill(this.el,
      this.project ? this.card() : null,
      h('div', { class: 'proj-filters' },
        field(t('proj.year'), select('year', this.filters.year, years.map((y) => [y, String(y)]), set('year'))),
        field(t('proj.group'), select('group', this.filters.group, GROUPS.map((g) => [g, label('board.group', g)]), set('group'))),
        field(t('proj.unit'), select('unit', this.filters.unit, this.units.filter((u) => !this.filters.group || u.group === this.filters.group).map((u) => [u.code, u.name]), set('unit'))),
        field(t('proj.field'), select('field', this.filters.field, FIELDS.map((f) => [f, label('board.field', f)]), set('field'))),
        field(t('proj.status'), select('status', this.filters.status, ['active', 'closed'].map((s) => [s, label('pstatus', s)]), set('status'))),
        field(t('proj.q'), h('input', { type: 'search', id: 'proj-q', value: this.filters.q,
          oninput: (e) => { this.filters.q = e.target.value.trim(); this.reload(); } }))),
      h('div', { class: 'btn-row proj-actions' },
        this.session?.canEdit() ? h('button', { type: 'button', class: 'btn btn-primary btn-small', id: 'proj-new', onclick: () => this.createDialog() }, t('proj.new')) : null,
        this.session?.user ? h('a', { class: 'btn btn-small', id: 'proj-export', href: `/api/v1/projects/export.xlsx?${this.query()}`, download: '' }, t('proj.export')) : null),
      this.listView()));
  }

  listView() {
    if (!this.list) return h('p', { class: 'muted' }, t('proj.loading'));
    if (this.list.error) return h('p', { class: 'error' }, this.list.error);
    if (!this.list.projects.length) return h('p', { class: 'muted' }, t('proj.empty'));
    return [h('div', { class: 'muted proj-count' }, t('proj.count', { n: this.list.total })),
      h('ul', { class: 'proj-list' }, this.list.projects.map((p) => h('li', {},
        h('button', { type: 'button', class: `proj-item${this.project?.id === p.id ? ' on' : ''}`, 'data-project-id': p.id, onclick: () => this.select(p.id) },
          h('span', { class: 'proj-line' }, h('code', {}, p.code), h('span', { class: `proj-status s-${p.status}` }, label('pstatus', p.status))),
          h('strong', {}, p.name),
          h('span', { class: 'muted' }, `${p.unit_name} · ${label('board.field', p.field)} · ${p.asset_count} ${t('results.count')} · ${mu(p.area_mu)}`)))))];
  }

  card() {
    const p = this.project;
    const head = h('div', { class: 'proj-card-head' },
      h('div', {}, p.code ? h('code', { 'data-test': 'project-code' }, p.code) : null, h('h3', { id: 'proj-card-title' }, p.name || '')),
      h('button', { type: 'button', class: 'icon-btn', 'aria-label': t('proj.close'), title: t('proj.close'), onclick: () => this.close() }, '×'));
    if (p.loading || p.error) return h('section', { class: 'proj-card', 'data-test': 'project-card' }, head, h('p', { class: p.error ? 'error' : 'muted' }, p.error || t('proj.loading')));
    const planned = p.planned_start || p.planned_end ? `${date(p.planned_start)} — ${date(p.planned_end)}` : null;
    return h('section', { class: 'proj-card', 'data-test': 'project-card', 'data-project': p.id },
      head,
      h('div', { class: 'big-figures' },
        h('div', {}, h('span', { class: 'fig' }, String(p.asset_count)), h('span', { class: 'cap' }, t('proj.assets'))),
        h('div', {}, h('span', { class: 'fig' }, mu(p.area_mu)), h('span', { class: 'cap' }, t('proj.area'))),
        h('div', {}, h('span', { class: 'fig' }, wan(p.benefit_to_date)), h('span', { class: 'cap' }, t('proj.benefit')))),
      dl([['proj.year', p.year], ['proj.group', label('board.group', p.group)], ['proj.unit', p.unit_name], ['proj.field', label('board.field', p.field)],
        ['proj.mode', label('mode', p.mode)], ['proj.instrument', label('pinst', p.instrument)], ['proj.holder', p.holder],
        ['proj.responsible_unit', p.responsible_unit], ['proj.responsible_person', p.responsible_person], ['proj.planned', planned],
        ['proj.expected', wan(p.expected_benefit)], ['proj.status', label('pstatus', p.status)], ['proj.description', p.description]]),
      h('h3', {}, t('proj.members')),
      this.members(p),
      this.addSelectedButton(p),
      attachmentsBlock({ kind: 'project', id: p.id }, this.session?.canEdit()),
      h('h3', {}, t('proj.history')),
      h('ol', { class: 'timeline' }, [...(p.history || [])].reverse().map((ev) => h('li', {},
        h('div', { class: 'tl-head' }, h('strong', {}, label('action', ev.action)), h('time', { datetime: ev.at }, dateTime(ev.at))),
        ev.actor ? h('div', { class: 'muted' }, ev.actor) : null, ev.note ? h('div', { class: 'note' }, ev.note) : null))));
  }

  members(p) {
    if (!p.assets?.length) return h('p', { class: 'muted' }, t('proj.noAssets'));
    const edit = this.session?.canEdit() && p.status === 'active';
    return h('ul', { class: 'proj-members' }, p.assets.map((a) => h('li', {},
      h('button', { type: 'button', class: 'link', 'data-member': a.id, onclick: () => this.openAsset(a.id, { fly: true }) }, h('code', {}, a.code), ` ${a.name}`),
      h('span', { class: 'muted' }, mu(a.area_mu)),
      edit ? h('button', { type: 'button', class: 'link danger', onclick: () => this.setMembers(p, p.assets.filter((x) => x.id !== a.id).map((x) => x.id)) }, t('proj.remove')) : null)));
  }

  addSelectedButton(p) {
    const sel = this.selected?.();
    if (!this.session?.canEdit() || p.status !== 'active' || !sel || p.assets?.some((a) => a.id === sel.id)) return null;
    return h('button', { type: 'button', class: 'btn btn-small', id: 'proj-add-selected',
      onclick: () => this.setMembers(p, [...p.assets.map((a) => a.id), sel.id]) }, t('proj.addSelected', { code: sel.code }));
  }

  async setMembers(p, ids) {
    try {
      await projectsAPI.setAssets(p.id, { version: p.version, asset_ids: ids });
      toast(t('proj.added'));
    } catch (e) {
      toast(e.message, 'error');
    }
    await Promise.all([this.select(p.id, { frame: false }), this.load()]);
  }

  /** createDialog asks for a new project's fields and the assets to put in it. */
  createDialog() {
    const sel = this.selected?.();
    const hits = (this.hits?.() || []).filter((id) => id !== sel?.id);
    const input = (name, attrs = {}) => h('input', { name, id: `proj-new-${name}`, ...attrs });
    const choose = (name, list, labelOf) => h('select', { name, id: `proj-new-${name}` }, list.map((v) => h('option', { value: v }, labelOf(v))));
    const unitSel = h('select', { name: 'unit_code', id: 'proj-new-unit_code' }, GROUPS.map((g) => h('optgroup', { label: label('board.group', g) },
      this.units.filter((u) => u.group === g).map((u) => h('option', { value: u.code, selected: u.code === sel?.region_code }, u.name)))));
    const msg = h('p', { class: 'error', role: 'alert' });
    const form = h('form', { class: 'form-grid', id: 'proj-new-form' },
      field(t('proj.code'), input('code', { required: true })),
      field(t('proj.name'), input('name', { required: true })),
      field(t('proj.year'), input('year', { type: 'number', value: new Date().getFullYear(), min: 2000, max: 2100 })),
      field(t('proj.unit'), unitSel),
      field(t('proj.field'), choose('field', FIELDS, (f) => label('board.field', f))),
      field(t('proj.mode'), choose('mode', MODES, (m) => label('mode', m))),
      field(t('proj.instrument'), choose('instrument', INSTRUMENTS, (i) => label('pinst', i))),
      field(t('proj.holder'), input('holder')),
      field(t('proj.responsible_unit'), input('responsible_unit')),
      field(t('proj.responsible_person'), input('responsible_person')),
      field(t('proj.planned_start'), input('planned_start', { type: 'date' })),
      field(t('proj.planned_end'), input('planned_end', { type: 'date' })),
      field(`${t('proj.expected')}（${t('unit.wan')}）`, input('expected_benefit', { type: 'number', step: '0.01', min: 0, value: 0 })),
      sel ? h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'proj-new-selected', checked: true }), t('proj.withSelected', { code: sel.code })) : null,
      hits.length && hits.length <= 500 ? h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'proj-new-hits' }), t('proj.withHits', { n: hits.length })) : null,
      msg,
      h('div', { class: 'btn-row' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'proj-new-submit' }, t('proj.create'))));
    const { close } = modal({ id: 'proj-new-dialog', title: t('proj.new') }, form);
    form.onsubmit = async (e) => {
      e.preventDefault();
      const v = Object.fromEntries(new FormData(form));
      const ids = [...($('#proj-new-selected', form)?.checked ? [sel.id] : []), ...($('#proj-new-hits', form)?.checked ? hits : [])];
      const body = { ...v, year: Number(v.year), expected_benefit: Number(v.expected_benefit || 0), asset_ids: ids,
        planned_start: v.planned_start || null, planned_end: v.planned_end || null };
      try {
        const p = await projectsAPI.create(body);
        close();
        toast(t('proj.created'));
        await this.load();
        await this.select(p.id);
      } catch (err) {
        msg.textContent = err.problem?.invalid_params?.map((x) => `${x.name}：${x.reason}`).join('；') || err.message;
      }
    };
  }
}
