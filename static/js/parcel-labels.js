// Parcel labels from zoom 16: each asset drawn on screen gets its code (or name) as an HTML label
// at the centre of its drawn shape. The UI has no glyph server and MapLibre's local CJK font
// covers ideographs only, not the Latin letters and digits of asset codes, so a symbol layer would
// need vendored glyph PBFs; HTML labels use the system font instead, which the county labels
// already do. They are capped (MAX_LABELS, nearest the centre first) and placed greedily so that
// no two overlap: at zoom 16 a screen holds a few dozen parcels, so the cap rarely bites.
import { h } from './dom.js';
import { state } from './state.js';
import { ASSET_LAYER_IDS, featureId } from './layers.js';

/** LABEL_MIN_ZOOM is the zoom from which parcels carry labels. */
export const LABEL_MIN_ZOOM = 16;
/** MAX_LABELS caps the labels on screen. */
export const MAX_LABELS = 150;

const OBSTACLES = '#legend, #choro, #results, #panel, .maplibregl-ctrl-top-right, .maplibregl-ctrl-bottom-left, .maplibregl-ctrl-bottom-right';

/** centres returns id → {x, y, text} of each labelled asset drawn, from its rendered pieces. */
function centres(map) {
  const layers = ASSET_LAYER_IDS.filter((id) => map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== 'none');
  const out = new Map();
  for (const f of map.queryRenderedFeatures({ layers })) {
    const id = featureId(f);
    const text = f.properties.code || f.properties.name;
    if (id == null || !text) continue;
    const b = out.get(id) || { text, x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
    const walk = (c) => {
      if (typeof c[0] !== 'number') { c.forEach(walk); return; }
      b.x0 = Math.min(b.x0, c[0]); b.y0 = Math.min(b.y0, c[1]); b.x1 = Math.max(b.x1, c[0]); b.y1 = Math.max(b.y1, c[1]);
    };
    walk(f.geometry.coordinates);
    out.set(id, b);
  }
  return out;
}

/** parcelLabels keeps the labels of the parcels on screen up to date; it returns an update function. */
export function parcelLabels(map) {
  const shown = new Map(); // id → marker
  const update = () => {
    const want = new Map();
    if (map.getZoom() >= LABEL_MIN_ZOOM && state.route !== 'dashboard') {
      const canvas = map.getCanvas();
      const cx = canvas.clientWidth / 2, cy = canvas.clientHeight / 2;
      // A parcel running off screen is labelled at the centre of its visible part.
      const v = map.getBounds();
      const items = [...centres(map)].map(([id, b]) => {
        const x0 = Math.max(b.x0, v.getWest()), x1 = Math.min(b.x1, v.getEast());
        const y0 = Math.max(b.y0, v.getSouth()), y1 = Math.min(b.y1, v.getNorth());
        const lngLat = [(x0 + x1) / 2, (y0 + y1) / 2];
        const p = map.project(lngLat);
        return { id, text: b.text, lngLat, p, d: (p.x - cx) ** 2 + (p.y - cy) ** 2 };
      }).filter((i) => i.p.x >= 0 && i.p.y >= 0 && i.p.x <= canvas.clientWidth && i.p.y <= canvas.clientHeight)
        .sort((a, b) => a.d - b.d);
      // The map's own boxes (legend, controls, list, panel) count as taken: no label under them.
      const c = canvas.getBoundingClientRect();
      const taken = [...document.querySelectorAll(OBSTACLES)].filter((e) => e.offsetParent).map((e) => {
        const r = e.getBoundingClientRect();
        return { l: r.left - c.left, r: r.right - c.left, t: r.top - c.top, b: r.bottom - c.top };
      });
      for (const i of items) {
        if (want.size >= MAX_LABELS) break;
        const w = 7.2 * i.text.length + 8;
        const box = { l: i.p.x - w / 2, r: i.p.x + w / 2, t: i.p.y - 9, b: i.p.y + 9 };
        if (box.l < 0 || box.t < 0 || box.r > canvas.clientWidth || box.b > canvas.clientHeight) continue;
        if (taken.some((o) => o.l < box.r && box.l < o.r && o.t < box.b && box.t < o.b)) continue;
        taken.push(box);
        want.set(i.id, i);
      }
    }
    for (const [id, m] of shown) if (!want.has(id)) { m.remove(); shown.delete(id); }
    for (const [id, i] of want) {
      const m = shown.get(id);
      if (m) { m.setLngLat(i.lngLat); continue; }
      shown.set(id, new maplibregl.Marker({ element: h('div', { class: 'parcel-label', 'aria-hidden': 'true', 'data-id': id }, i.text) })
        .setLngLat(i.lngLat).addTo(map));
    }
  };
  map.on('moveend', update);
  map.on('idle', update);
  return update;
}
