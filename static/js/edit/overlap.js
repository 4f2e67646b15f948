// The server's overlap answer (422 with "overlaps") shown to the editor: the overlapped parcels
// highlighted on the map and a dialog asking whether to save anyway, with a reason.
import { h, modal } from '../dom.js';
import { t, num } from '../i18n.js';
import { api } from '../api.js';

const SRC = 'edit-overlaps';

/** showOverlaps highlights parcels (by id) on the map in red; null clears them. */
export async function showOverlaps(map, ids) {
  const features = [];
  for (const id of ids || []) {
    try {
      const a = await api.asset(id);
      features.push({ type: 'Feature', id, geometry: a.geometry, properties: { code: a.code } });
    } catch { /* gone meanwhile: nothing to show */ }
  }
  const data = { type: 'FeatureCollection', features };
  if (map.getSource(SRC)) { map.getSource(SRC).setData(data); return; }
  map.addSource(SRC, { type: 'geojson', data });
  map.addLayer({ id: `${SRC}-fill`, type: 'fill', source: SRC, paint: { 'fill-color': '#e03131', 'fill-opacity': 0.35 } });
  map.addLayer({ id: `${SRC}-line`, type: 'line', source: SRC, paint: { 'line-color': '#c92a2a', 'line-width': 3 } });
}

/** clearOverlaps takes the highlight off the map. */
export function clearOverlaps(map) {
  for (const id of [`${SRC}-line`, `${SRC}-fill`]) if (map.getLayer(id)) map.removeLayer(id);
  if (map.getSource(SRC)) map.removeSource(SRC);
}

/**
 * confirmOverlap shows the overlaps the server listed and resolves to the reason the editor gives
 * to save anyway, or null when they go back to editing.
 */
export function confirmOverlap(map, overlaps) {
  showOverlaps(map, overlaps.map((o) => o.id));
  return new Promise((resolve) => {
    let answer = null;
    const reason = h('textarea', { id: 'overlap-reason', rows: '3', required: true, placeholder: t('edit.overlap.reasonHint') });
    const msg = h('p', { class: 'edit-msg', role: 'status' });
    const { close } = modal({ id: 'overlap-dialog', title: t('edit.overlap.title'), onClose: () => { clearOverlaps(map); resolve(answer); } },
      h('p', {}, t('edit.overlap.text')),
      h('ul', { 'data-test': 'overlap-list' }, overlaps.map((o) => h('li', {}, h('code', {}, o.code), ` ${num(o.overlap_m2, 1)} m²`))),
      h('label', { class: 'field-label', for: 'overlap-reason' }, t('edit.overlap.reason')), reason, msg,
      h('div', { class: 'btn-row' },
        h('button', { type: 'button', class: 'btn btn-primary', id: 'overlap-confirm', onclick: () => {
          if (!reason.value.trim()) { msg.textContent = t('edit.overlap.reasonHint'); msg.classList.add('error'); return; }
          answer = reason.value.trim();
          close();
        } }, t('edit.overlap.confirm')),
        h('button', { type: 'button', class: 'btn', onclick: () => close() }, t('edit.overlap.back'))));
  });
}
