// The lease terms of an asset in its panel (租赁与特许经营): tenant, term and rent of each, and for an
// analyst a form adding one and a button removing one — through /api/v1/assets/{id}/leases.
import { h, fill, toast } from './dom.js';
import { t, wan, date } from './i18n.js';
import { getJSON, sendJSON } from './api.js';

const path = (id, rest = '') => `/api/v1/assets/${encodeURIComponent(id)}/leases${rest}`;

/** leasesBlock is the panel's lease section of asset id; canEdit adds the analyst's controls. */
export function leasesBlock(id, canEdit) {
  const list = h('div', { class: 'lease-list', 'data-test': 'leases' }, h('p', { class: 'muted' }, t('panel.loading')));
  const load = async () => {
    try {
      const { leases } = await getJSON(path(id));
      fill(list, leases.length ? leases.map((l) => leaseRow(id, l, canEdit, load)) : h('p', { class: 'muted' }, t('lease.none')));
    } catch (e) {
      fill(list, h('p', { class: 'error' }, `${t('err.load')}：${e.message}`));
    }
  };
  load();
  return [h('h3', {}, t('lease.title')), list, canEdit ? addForm(id, load) : null];
}

function leaseRow(id, l, canEdit, reload) {
  const remove = async () => {
    try {
      await sendJSON('DELETE', path(id, `/${l.id}`));
      toast(t('lease.deleted'));
      reload();
    } catch (e) {
      toast(e.message, 'error');
    }
  };
  return h('div', { class: 'lease-row', 'data-lease': l.id },
    h('div', { class: 'lease-head' },
      h('strong', {}, l.tenant), h('span', { class: 'badge', style: { '--c': '#0ca678' } }, t(`lease.kind.${l.kind}`)),
      canEdit ? h('button', { type: 'button', class: 'btn btn-small', onclick: remove }, t('lease.delete')) : null),
    h('div', { class: 'muted' }, `${date(l.start_date)} — ${date(l.end_date)} · ${t('lease.rent')} ${wan(l.annual_rent)} · ${t('lease.received')} ${wan(l.rent_received)}`),
    l.note ? h('div', { class: 'note' }, l.note) : null);
}

/** addForm posts a new lease term; the server names any field at fault. */
function addForm(id, reload) {
  const input = (name, attrs = {}) => h('input', { name, id: `lease-${name}`, ...attrs });
  const msg = h('p', { class: 'error', role: 'alert', hidden: true });
  const fieldOf = (key, control) => h('label', { class: 'form-field' }, h('span', {}, t(key)), control);
  const form = h('form', { class: 'lease-form', id: 'lease-form' },
    fieldOf('lease.kind', h('select', { name: 'kind', id: 'lease-kind' },
      ['lease', 'concession'].map((k) => h('option', { value: k }, t(`lease.kind.${k}`))))),
    fieldOf('lease.tenant', input('tenant', { required: true })),
    fieldOf('lease.start', input('start_date', { type: 'date', required: true })),
    fieldOf('lease.end', input('end_date', { type: 'date', required: true })),
    fieldOf('lease.field.annual_rent', input('annual_rent', { type: 'number', min: 0, step: '0.01', value: '0' })),
    fieldOf('lease.field.rent_received', input('rent_received', { type: 'number', min: 0, step: '0.01', value: '0' })),
    fieldOf('lease.note', input('note')),
    msg,
    h('button', { type: 'submit', class: 'btn btn-primary btn-small' }, t('lease.add')));
  form.onsubmit = async (e) => {
    e.preventDefault();
    const v = Object.fromEntries(new FormData(form));
    const body = { ...v, annual_rent: Number(v.annual_rent || 0), rent_received: Number(v.rent_received || 0) };
    try {
      await sendJSON('POST', path(id), body);
    } catch (x) {
      msg.hidden = false;
      const params = x.problem?.invalid_params;
      msg.textContent = params?.length ? params.map((p) => `${t(`lease.field.${p.name}`)}：${p.reason}`).join('；') : x.message;
      return;
    }
    msg.hidden = true;
    form.reset();
    toast(t('lease.saved'));
    reload();
  };
  return h('details', { class: 'lease-add' }, h('summary', {}, t('lease.add')), form);
}
