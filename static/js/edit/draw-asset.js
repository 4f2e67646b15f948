// 新建资产: an analyst draws a polygon on the map (clicks place vertices, snapping to neighbours as
// in reshape.js; 完成 closes it, its vertices can then still be dragged), then fills the ledger
// form (assetform.js, with the code and kind first) and the asset is registered with POST
// /api/v1/assets. An overlap the server refuses is confirmed with a reason, as for a reshape.
import { h, modal, toast } from '../dom.js';
import { t, label } from '../i18n.js';
import { KINDS } from '../state.js';
import { sendJSON } from '../api.js';
import { editForm } from '../assetform.js';
import { ShapeEditor } from './reshape.js';
import { confirmOverlap } from './overlap.js';

/** NOT_ON_CREATE are form fields POST /assets does not take (the idle ruling is an edit). */
const NOT_ON_CREATE = ['idle_override', 'idle_override_reason'];

/** blank is the asset a new one starts from: the form shows what differs from it. */
const blank = (kind) => ({ kind, version: 0, stage: 'idle', mode: 'undecided', revenue: 0, land: {}, facts: {} });

/** feature is the POST body: the drawn outline with the form's values as properties. */
function feature(geometry, code, kind, body, reason) {
  const { version, ...props } = body; // eslint-disable-line no-unused-vars
  for (const k of NOT_ON_CREATE) delete props[k];
  const base = blank(kind);
  return { type: 'Feature', geometry, properties: { stage: base.stage, mode: base.mode, ...props, code, kind, overlap_reason: reason || undefined } };
}

/** register sends the new asset; an overlap answer asks for a reason and sends it again. */
async function register(map, f) {
  try {
    return await sendJSON('POST', '/api/v1/assets', f);
  } catch (e) {
    const overlaps = e.problem?.overlaps;
    if (e.status !== 422 || !overlaps?.length || f.properties.overlap_reason) throw e;
    // The form steps aside so that the overlapped parcels show on the map behind the question.
    const form = document.getElementById('new-asset');
    if (form) form.style.visibility = 'hidden';
    const why = await confirmOverlap(map, overlaps);
    if (form) form.style.visibility = '';
    if (!why) throw e;
    return register(map, { ...f, properties: { ...f.properties, overlap_reason: why } });
  }
}

/** askLedger shows the ledger form for a drawn outline; it resolves to the created asset. */
function askLedger(map, geometry) {
  return new Promise((resolve, reject) => {
    let created = null;
    const code = h('input', { id: 'new-code', name: 'code', required: true, autocomplete: 'off' });
    const kind = h('select', { id: 'new-kind', name: 'kind' }, KINDS.map((k) => h('option', { value: k }, label('kind', k))));
    const slot = h('div', {});
    const form = () => editForm(blank(kind.value), async (body, msg) => {
      if (!code.value.trim()) { msg.classList.add('error'); msg.textContent = t('edit.required', { f: t('f.code') }); return; }
      try {
        created = await register(map, feature(geometry, code.value.trim(), kind.value, body));
        close();
      } catch (e) {
        msg.classList.add('error');
        msg.textContent = e.message;
      }
    });
    kind.onchange = () => slot.replaceChildren(form());
    slot.replaceChildren(form());
    const { close } = modal({ id: 'new-asset', title: t('edit.new.title'), wide: true,
      onClose: () => (created ? resolve(created) : reject(Object.assign(new Error(t('edit.new.notSaved')), { quiet: true }))) },
    h('div', { class: 'edit-grid' },
      h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'new-code' }, t('f.code')), code),
      h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'new-kind' }, t('f.kind')), kind)),
    slot);
    code.focus();
  });
}

/** drawAsset starts drawing a new asset; onCreated(asset) runs once it is registered. */
export function drawAsset(map, onCreated) {
  const ed = new ShapeEditor(map, {
    title: t('edit.new.title'),
    onSave: (geometry) => askLedger(map, geometry),
    onDone: (created) => {
      if (!created) return;
      toast(t('edit.new.saved'));
      onCreated?.(created);
    },
  });
  ed.onDrawn = () => ed.save();
  window.__shapeEditor = ed; // for the browser tests
  ed.draw();
  return ed;
}
