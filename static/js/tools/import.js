// 数据导入 for analysts (issue 13 item 6): upload a zipped Shapefile, GeoPackage, KML, GeoJSON,
// XLSX/CSV or 勘测定界 TXT through POST /api/v1/imports; a dry run (预检) shows the format, CRS
// and encoding found, the first rows with the field mapping (三调 defaults, editable: the API
// takes `mapping`), and the report (ok / repaired / rejected rows with reasons, as CSV); then
// the commit, after which the imported assets are framed on the map and listed.
import { getJSON, ApiError } from '../api.js';
import { h, modal, table, field, fill, toast } from '../dom.js';
import { t, addWords, label } from '../i18n.js';

addWords('zh', {
  'imp.title': '数据导入', 'imp.file': '文件', 'imp.kind': '资产类型', 'imp.kind.auto': '按文件内容',
  'imp.srs': '坐标系', 'imp.srs.auto': '自动识别（.prj、元数据或带号）', 'imp.encoding': '编码', 'imp.encoding.auto': '自动识别',
  'imp.conflict': '编号已存在时', 'imp.conflict.update': '更新', 'imp.conflict.skip': '跳过',
  'imp.formats': '支持：Shapefile（zip）、GeoPackage、KML/KMZ、GeoJSON、XLSX/CSV 台账、勘测定界 TXT',
  'imp.dry': '预检', 'imp.commit': '确认导入', 'imp.upload': '正在上传 {p}%', 'imp.reading': '正在读取 {n} 行', 'imp.writing': '正在写入 {n} 行',
  'imp.found': '识别结果', 'imp.format': '格式', 'imp.crs': '坐标系', 'imp.enc': '编码', 'imp.rows': '行数',
  'imp.mapping': '字段对应', 'imp.mapping.hint': '默认按三调字段对应（BSM→资产编号，DLBM→地类编码，QSDWMC→资产持有人，ZLDWMC+DLMC→名称）；修改后请重新预检',
  'imp.src': '源字段', 'imp.sample': '首行取值', 'imp.target': '导入为', 'imp.none': '（不导入）', 'imp.ignore': '忽略',
  'imp.preview': '前 {n} 行', 'imp.row': '行', 'imp.report': '预检报告', 'imp.result': '导入结果',
  'imp.n.read': '读取', 'imp.n.ok': '可导入', 'imp.n.written': '已导入', 'imp.n.inserted': '新增', 'imp.n.updated': '更新', 'imp.n.unchanged': '未变',
  'imp.n.skipped': '跳过', 'imp.n.rejected': '拒绝', 'imp.n.repaired': '修复',
  'imp.action': '处理', 'imp.field': '字段', 'imp.reason': '原因', 'imp.csv': '下载报告（CSV）', 'imp.more': '另有 {n} 条，见 CSV',
  'imp.act.rejected': '拒绝', 'imp.act.repaired': '已修复', 'imp.act.skipped': '跳过', 'imp.act.updated': '更新', 'imp.act.warning': '提示',
  'imp.changed': '字段对应已修改，请重新预检', 'imp.done': '已导入 {n} 宗资产', 'imp.nothing': '没有可导入的行',
  'imp.list': '本次导入的资产（{n}）', 'imp.noPreview': '导入耗时较长，未返回前几行预览', 'imp.failed': '导入失败',
});
addWords('en', {
  'imp.title': 'Import data', 'imp.file': 'File', 'imp.kind': 'Asset kind', 'imp.kind.auto': 'From the file',
  'imp.srs': 'CRS', 'imp.srs.auto': 'Detect (.prj, metadata or zone prefix)', 'imp.encoding': 'Encoding', 'imp.encoding.auto': 'Detect',
  'imp.conflict': 'When the code exists', 'imp.conflict.update': 'Update', 'imp.conflict.skip': 'Skip',
  'imp.formats': 'Shapefile (zip), GeoPackage, KML/KMZ, GeoJSON, XLSX/CSV ledgers, 勘测定界 TXT',
  'imp.dry': 'Dry run', 'imp.commit': 'Import', 'imp.upload': 'Uploading {p}%', 'imp.reading': 'Reading {n} rows', 'imp.writing': 'Writing {n} rows',
  'imp.found': 'Found', 'imp.format': 'Format', 'imp.crs': 'CRS', 'imp.enc': 'Encoding', 'imp.rows': 'Rows',
  'imp.mapping': 'Field mapping', 'imp.mapping.hint': '三调 fields map by default (BSM → code, DLBM → land class, QSDWMC → holder, ZLDWMC + DLMC → name); run the dry run again after a change',
  'imp.src': 'Source field', 'imp.sample': 'First row', 'imp.target': 'Imports as', 'imp.none': '(not imported)', 'imp.ignore': 'Ignore',
  'imp.preview': 'First {n} rows', 'imp.row': 'Row', 'imp.report': 'Dry-run report', 'imp.result': 'Import result',
  'imp.n.read': 'Read', 'imp.n.ok': 'Would import', 'imp.n.written': 'Imported', 'imp.n.inserted': 'New', 'imp.n.updated': 'Updated', 'imp.n.unchanged': 'Unchanged',
  'imp.n.skipped': 'Skipped', 'imp.n.rejected': 'Rejected', 'imp.n.repaired': 'Repaired',
  'imp.action': 'Action', 'imp.field': 'Field', 'imp.reason': 'Reason', 'imp.csv': 'Download report (CSV)', 'imp.more': '{n} more in the CSV',
  'imp.act.rejected': 'Rejected', 'imp.act.repaired': 'Repaired', 'imp.act.skipped': 'Skipped', 'imp.act.updated': 'Updated', 'imp.act.warning': 'Warning',
  'imp.changed': 'The mapping changed: run the dry run again', 'imp.done': '{n} assets imported', 'imp.nothing': 'No row can be imported',
  'imp.list': 'Imported assets ({n})', 'imp.noPreview': 'The run took long: no preview of the first rows', 'imp.failed': 'Import failed',
});

/** TARGETS are the asset fields a source field can fill (internal/imports/columns.go and mapping.go). */
const TARGETS = [
  ['code', '资产编号'], ['name', '资产名称'], ['kind', '资产类型'], ['region_code', '行政区划代码'], ['zone_code', '园区代码'],
  ['holder', '资产持有人'], ['holder_type', '持有人类型'], ['book_value', '账面价值(万元)'], ['appraised_value', '评估价值(万元)'],
  ['mode', '盘活方式'], ['stage', '盘活状态'], ['responsible_unit', '责任单位'], ['responsible_person', '责任人'], ['revenue', '盘活收益(万元)'],
  ['land_status', '土地状态'], ['land_class_system', '地类分类体系'], ['land_class_code', '地类编码'], ['approval_no', '批准文号'],
  ['approval_date', '批准日期'], ['supply_method', '供地方式'], ['supply_date', '供地日期'], ['agreed_start', '约定动工日期'],
  ['actual_start', '实际动工日期'], ['developed_share', '已开发比例'], ['invested_share', '已投资比例'], ['idle_cause', '闲置原因'],
  ['declared_area_m2', '图斑面积(平方米，核对)'], ['declared_area_ha', '地块面积(公顷，核对)'], ['land_class_name', '地类名称(组成名称)'],
  ['location_name', '坐落单位名称(组成名称)'],
];
const KINDS = ['land', 'mine', 'forest', 'water', 'building'];
const SHOWN_ISSUES = 200;

/** csvText is the report as CSV (with a BOM, for Excel): row, layer, code, action, field, reason. */
export function csvText(issues) {
  const q = (v) => (/[",\n]/.test(String(v ?? '')) ? `"${String(v).replace(/"/g, '""')}"` : String(v ?? ''));
  const head = [t('imp.row'), 'layer', t('col.code'), t('imp.action'), t('imp.field'), t('imp.reason')];
  return '\ufeff' + [head, ...issues.map((i) => [i.row, i.layer, i.code, t(`imp.act.${i.action}`), i.field, i.reason])].map((r) => r.map(q).join(',')).join('\r\n') + '\r\n';
}

/** totalsOf sums the listed assets for the result list's totals (the sums only when all are listed). */
function totalsOf({ items, total }) {
  if (items.length < total) return { count: total };
  const sum = (k) => items.reduce((acc, a) => acc + (Number(a[k]) || 0), 0);
  return { count: total, area_mu: sum('area_mu'), book_value: sum('book_value') };
}

/** post uploads form to /api/v1/imports, reporting upload progress (0–1); resolves to { status, body }. */
function post(form, onUpload) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/imports');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onUpload(e.loaded / e.total); };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON: keep the status */ }
      if (xhr.status >= 400) reject(new ApiError(xhr.status, body)); else resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new ApiError(0, null));
    xhr.send(form);
  });
}

/** ImportTool is the dialog of the map's 导入 button (btn, tools/registry.js). */
export class ImportTool {
  constructor(map, { btn, session, results, openAsset }) {
    Object.assign(this, { map, session, results, openAsset });
    btn.onclick = () => this.open();
  }

  open() {
    this.mapping = {}; // the analyst's changes: source field → target
    this.dry = null;
    const sel = (id, opts) => h('select', { id }, opts.map(([v, l]) => h('option', { value: v }, l)));
    this.form = { // 三调 data are land: the kind the analyst most often means
      file: h('input', { type: 'file', id: 'imp-file', accept: '.zip,.gpkg,.kml,.kmz,.geojson,.json,.csv,.xlsx,.txt', onchange: () => this.reset() }),
      kind: sel('imp-kind', [['', t('imp.kind.auto')], ...KINDS.map((k) => [k, label('kind', k)])]),
      srs: h('input', { id: 'imp-srs', placeholder: t('imp.srs.auto'), list: 'imp-srs-list' }),
      encoding: sel('imp-encoding', [['', t('imp.encoding.auto')], ['GBK', 'GBK'], ['UTF-8', 'UTF-8'], ['GB18030', 'GB18030']]),
      conflict: sel('imp-conflict', [['skip', t('imp.conflict.skip')], ['update', t('imp.conflict.update')]]),
    };
    this.dryBtn = h('button', { type: 'button', class: 'btn', id: 'imp-dry', onclick: () => this.run(true) }, t('imp.dry'));
    this.commitBtn = h('button', { type: 'button', class: 'btn btn-primary', id: 'imp-commit', disabled: true, onclick: () => this.run(false) }, t('imp.commit'));
    this.bar = h('progress', { id: 'imp-progress', max: 1, value: 0, hidden: true });
    this.barText = h('span', { class: 'hint', id: 'imp-progress-text' });
    this.out = h('div', { class: 'imp-out', id: 'imp-out' });
    const f = this.form;
    f.kind.value = 'land';
    this.dlg = modal({ id: 'import-dlg', title: t('imp.title'), wide: true },
      h('p', { class: 'hint' }, t('imp.formats')),
      h('div', { class: 'imp-form' }, field(t('imp.file'), f.file), field(t('imp.kind'), f.kind), field(t('imp.srs'), f.srs),
        field(t('imp.encoding'), f.encoding), field(t('imp.conflict'), f.conflict)),
      h('datalist', { id: 'imp-srs-list' }, ['EPSG:4490', 'EPSG:4326', ...Array.from({ length: 13 }, (_, i) => `EPSG:${4534 + i}`)].map((v) => h('option', { value: v }))),
      h('div', { class: 'btn-row imp-actions' }, this.dryBtn, this.commitBtn, this.bar, this.barText),
      this.out);
  }

  /** reset forgets the dry run: a new file or mapping must be checked again before the commit. */
  reset(note) {
    this.dry = null;
    this.commitBtn.disabled = true;
    if (note) this.barText.textContent = note;
  }

  formData(dryRun) {
    const f = this.form;
    const fd = new FormData();
    fd.set('dry_run', String(dryRun));
    for (const [k, el] of [['kind', f.kind], ['srs', f.srs], ['encoding', f.encoding], ['on_conflict', f.conflict]]) if (el.value.trim()) fd.set(k, el.value.trim());
    if (Object.keys(this.mapping).length) fd.set('mapping', JSON.stringify(this.mapping));
    fd.set('file', f.file.files[0]);
    return fd;
  }

  progress(value, text) {
    this.bar.hidden = false;
    this.bar.value = value;
    this.barText.textContent = text;
  }

  /** run sends the file as a dry run or for real, follows its progress and shows the outcome. */
  async run(dryRun) {
    if (!this.form.file.files[0]) { this.form.file.focus(); return; }
    this.dryBtn.disabled = this.commitBtn.disabled = true;
    this.progress(0, t('imp.upload', { p: 0 }));
    try {
      const { status, body } = await post(this.formData(dryRun), (p) => this.progress(p * 0.3, t('imp.upload', { p: Math.round(p * 100) })));
      const rep = status === 202 ? await this.follow(body) : body;
      this.progress(1, '');
      if (rep.status === 'failed') throw new Error(rep.error || t('imp.failed'));
      if (dryRun) this.showDry(rep); else await this.showDone(rep);
    } catch (e) {
      this.bar.hidden = true;
      this.barText.textContent = '';
      fill(this.out, h('p', { class: 'error', role: 'alert', id: 'imp-error' }, `${t('imp.failed')}：${e.message}`));
    } finally {
      this.dryBtn.disabled = false;
      this.commitBtn.disabled = !this.dry || this.dry.rows_written === 0;
    }
  }

  /** follow polls a run that outlived its request until it ends, moving the bar by rows read. */
  async follow(rep) {
    while (rep.status === 'running') {
      const total = rep.rows_total || 0;
      const share = total ? Math.min(1, rep.rows_read / total) : 0;
      this.progress(0.3 + 0.7 * share, t(rep.phase === 'writing' ? 'imp.writing' : 'imp.reading', { n: rep.rows_read }));
      await new Promise((r) => setTimeout(r, 500));
      rep = await getJSON(`/api/v1/imports/${rep.id}`);
    }
    return rep;
  }

  showDry(rep) {
    this.dry = rep;
    fill(this.out, this.foundBlock(rep), this.mappingBlock(rep), this.previewBlock(rep), this.reportBlock(rep, 'imp.report'));
  }

  async showDone(rep) {
    this.dry = null;
    const got = await getJSON(`/api/v1/imports/${rep.id}/assets`, new URLSearchParams({ limit: 1000 }));
    fill(this.out, this.reportBlock(rep, 'imp.result'));
    if (!got.total) { toast(t('imp.nothing'), 'error'); return; }
    toast(t('imp.done', { n: rep.rows_written }));
    this.dlg.close();
    const [w, s, e, n] = got.bbox;
    this.map.fitBounds([[w, s], [e, n]], { padding: 60, maxZoom: 17, duration: 0 });
    await this.results.show({ type: 'import', title: t('imp.list', { n: got.total }), items: got.items, totals: totalsOf(got) }, { expand: true });
    this.results.onItems?.(got.items); // marked on the map as any list's rows
  }

  foundBlock(rep) {
    const item = (k, v) => [h('dt', {}, t(k)), h('dd', {}, v ?? '—')];
    return h('section', { class: 'imp-found', 'data-test': 'imp-found' }, h('h3', {}, t('imp.found')),
      h('dl', {}, item('imp.format', rep.format), item('imp.crs', rep.source_crs), item('imp.enc', rep.encoding), item('imp.rows', rep.rows_read)));
  }

  mappingBlock(rep) {
    const fields = Object.keys(rep.fields || {});
    if (!fields.length) return h('p', { class: 'hint' }, t('imp.noPreview'));
    const first = rep.preview?.[0]?.attrs || {};
    const select = (src) => {
      const cur = this.mapping[src] ?? rep.fields[src];
      const opts = [['', t('imp.none')], ['-', t('imp.ignore')], ...TARGETS.map(([v, zh]) => [v, `${zh} · ${v}`])];
      if (cur && !opts.some(([v]) => v === cur)) opts.push([cur, cur]);
      return h('select', { 'data-field': src, 'aria-label': src, onchange: (e) => { this.mapping[src] = e.target.value || '-'; this.reset(t('imp.changed')); } },
        opts.map(([v, l]) => h('option', { value: v, selected: v === (cur || '') }, l)));
    };
    return h('section', { class: 'imp-mapping' }, h('h3', {}, t('imp.mapping')), h('p', { class: 'hint' }, t('imp.mapping.hint')),
      h('div', { class: 'imp-scroll' }, table([
        { label: t('imp.src'), cell: (f) => h('code', {}, f) },
        { label: t('imp.sample'), cell: (f) => first[f] ?? '' },
        { label: t('imp.target'), cell: select },
      ], fields)));
  }

  previewBlock(rep) {
    const rows = rep.preview || [];
    if (!rows.length) return null;
    const fields = Object.keys(rep.fields || {});
    return h('section', { class: 'imp-preview' }, h('h3', {}, t('imp.preview', { n: rows.length })),
      h('div', { class: 'imp-scroll' }, table([
        { label: t('imp.row'), cell: (r) => String(r.row), cls: 'num' },
        { label: t('col.code'), cell: (r) => h('code', {}, r.code || '—') },
        { label: t('col.name'), cell: (r) => r.name || '—' },
        ...fields.map((f) => ({ label: f, cell: (r) => r.attrs[f] ?? '' })),
      ], rows, () => ({ 'data-test': 'imp-preview-row' }))));
  }

  reportBlock(rep, title) {
    const n = (k, v) => h('span', { class: `imp-n imp-n-${k}`, 'data-n': k }, `${t(`imp.n.${k}`)} `, h('b', {}, String(v)));
    const issues = rep.report || [];
    const csv = () => {
      const a = h('a', { href: URL.createObjectURL(new Blob([csvText(issues)], { type: 'text/csv;charset=utf-8' })), download: `import-${rep.id}-report.csv` });
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    };
    return h('section', { class: 'imp-report', 'data-test': 'imp-report', 'data-import': rep.id }, h('h3', {}, t(title)),
      h('div', { class: 'imp-counts' }, n('read', rep.rows_read), n(rep.dry_run ? 'ok' : 'written', rep.rows_written), n('inserted', rep.rows_inserted),
        n('updated', rep.rows_updated), n('unchanged', rep.rows_unchanged), n('skipped', rep.rows_skipped), n('rejected', rep.rows_rejected), n('repaired', rep.rows_repaired)),
      issues.length ? h('div', { class: 'imp-scroll' }, table([
        { label: t('imp.row'), cell: (i) => String(i.row), cls: 'num' },
        { label: t('col.code'), cell: (i) => i.code || '—' },
        { label: t('imp.action'), cell: (i) => h('span', { class: `imp-act imp-act-${i.action}` }, t(`imp.act.${i.action}`)) },
        { label: t('imp.field'), cell: (i) => i.field || '—' },
        { label: t('imp.reason'), cell: (i) => i.reason, cls: 'wide' },
      ], issues.slice(0, SHOWN_ISSUES), (i) => ({ 'data-action': i.action })), issues.length > SHOWN_ISSUES ? h('p', { class: 'hint' }, t('imp.more', { n: issues.length - SHOWN_ISSUES })) : null) : null,
      issues.length ? h('button', { type: 'button', class: 'btn btn-small', id: 'imp-csv', onclick: csv }, t('imp.csv')) : null);
  }
}
