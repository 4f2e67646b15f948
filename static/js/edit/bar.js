// The floating bar of the split and merge tools: a title, a hint or result, and the tool's
// buttons, above the map (below the top bar) until the tool ends.
import { h } from '../dom.js';

/** showBar replaces the tool bar's content (and shows it); parts are nodes or strings. */
export function showBar(test, ...parts) {
  let bar = document.getElementById('tool-bar');
  if (!bar) {
    bar = h('div', { id: 'tool-bar', class: 'tool-bar', role: 'region', 'aria-live': 'polite' });
    document.body.append(bar);
  }
  bar.dataset.test = test;
  document.body.classList.add('map-tool'); // on a phone the asset's sheet gives the map room
  bar.replaceChildren(...parts.filter((p) => p != null));
  bar.hidden = false;
  return bar;
}

/** hideBar takes the tool bar away. */
export function hideBar() {
  const bar = document.getElementById('tool-bar');
  if (bar) bar.hidden = true;
  document.body.classList.remove('map-tool');
}

/** PREVIEW_COLORS tell the pieces of a split apart, on the map and in the bar. */
export const PREVIEW_COLORS = ['#e8590c', '#1971c2', '#2f9e44', '#9c36b5', '#f08c00', '#0c8599'];

/** setPreview shows GeoJSON features (properties.color) on the map's edit overlay; [] clears it. */
export function setPreview(map, features) {
  const data = { type: 'FeatureCollection', features };
  const src = map.getSource('edit-preview');
  if (src) { src.setData(data); return; }
  if (!features.length) return;
  map.addSource('edit-preview', { type: 'geojson', data });
  map.addLayer({ id: 'edit-preview-fill', type: 'fill', source: 'edit-preview', paint: { 'fill-color': ['get', 'color'], 'fill-opacity': 0.45 } });
  map.addLayer({ id: 'edit-preview-line', type: 'line', source: 'edit-preview', paint: { 'line-color': ['get', 'color'], 'line-width': 3 } });
}

/** problemText is what a refused change says: its first parameter's reason, else its message. */
export function problemText(e) {
  const p = e.problem?.invalid_params?.[0];
  return p ? `${p.name}：${p.reason}` : e.message;
}
