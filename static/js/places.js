// 行政区与园区 (administrators): loads the regions (county outlines, the 三调 XZQ layer) or the
// development zones from a boundary file through POST /api/v1/imports (kind region or zone): a
// dry run first with its report — new, updated (with what changed), unchanged, rejected rows
// with why, assets whose county or zone follows the new outlines — then the load itself.
import { h, modal, table, field, fill, toast } from './dom.js';
import { t } from './i18n.js';

/** PlacesScreen is the 行政区与园区 dialog. */
export class PlacesScreen {
  open() {
    this.kind = h('select', { id: 'places-kind' },
      h('option', { value: 'region' }, t('places.region')), h('option', { value: 'zone' }, t('places.zone')));
    this.file = h('input', { id: 'places-file', type: 'file', accept: '.zip,.gpkg,.geojson,.json,.kml,.kmz' });
    this.encoding = h('input', { id: 'places-encoding', placeholder: 'GBK', autocomplete: 'off', size: '6' });
    this.report = h('div', { id: 'places-report', 'aria-live': 'polite' });
    const form = h('form', {
      class: 'form form-inline', id: 'places-form',
      onsubmit: (e) => { e.preventDefault(); this.send(true); },
    }, field(t('places.kind'), this.kind), field(t('places.file'), this.file), field(t('places.encoding'), this.encoding),
    h('button', { type: 'submit', class: 'btn', id: 'places-dry' }, t('places.dry')),
    h('button', { type: 'button', class: 'btn btn-primary', id: 'places-load', onclick: () => this.send(false) }, t('places.load')));
    modal({ id: 'places-screen', title: t('places.title'), wide: true }, h('p', { class: 'notice' }, t('places.hint')), form, this.report);
  }

  /** send uploads the file, as a dry run or for real, and shows the report. */
  async send(dry) {
    const file = this.file.files[0];
    if (!file) { toast(t('places.pick')); this.file.focus(); return; }
    const body = new FormData();
    body.set('kind', this.kind.value);
    body.set('dry_run', String(dry));
    if (this.encoding.value.trim()) body.set('encoding', this.encoding.value.trim());
    body.set('file', file, file.name);
    fill(this.report, h('p', {}, t('places.working')));
    const res = await fetch('/api/v1/imports', { method: 'POST', body, headers: { Accept: 'application/json' } });
    const out = await res.json().catch(() => null);
    if (!res.ok) {
      fill(this.report, h('p', { class: 'notice error', role: 'alert', 'data-test': 'places-error' }, out?.detail || `HTTP ${res.status}`));
      return;
    }
    this.show(out);
    if (!dry) toast(t('places.done'));
  }

  /** show draws a report: the counts, what changes, and the rejected rows. */
  show(r) {
    const changes = r.changes.filter((c) => c.action !== 'unchanged');
    fill(this.report,
      h('p', { class: `notice${r.rejected ? ' error' : ''}`, 'data-test': 'places-summary' }, t(r.dry_run ? 'places.summaryDry' : 'places.summary', {
        rows: r.rows, inserted: r.inserted, updated: r.updated, unchanged: r.unchanged, rejected: r.rejected, moved: r.assets_moved, crs: r.crs,
      })),
      changes.length ? table([
        { label: t('places.code'), cell: (c) => c.code },
        { label: t('places.name'), cell: (c) => c.name },
        { label: t('places.action'), cell: (c) => t(`places.${c.action}`) },
        { label: t('places.fields'), cell: (c) => (c.fields || []).map((f) => t(`places.f.${f}`)).join('、') },
      ], changes, (c) => ({ 'data-code': c.code })) : null,
      r.issues.length ? table([
        { label: t('places.row'), cell: (i) => String(i.row) },
        { label: t('places.code'), cell: (i) => i.code || '—' },
        { label: t('places.reason'), cell: (i) => i.reason },
      ], r.issues) : null);
  }
}
