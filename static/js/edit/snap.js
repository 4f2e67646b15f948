// Snapping for the map editors (reshape.js, draw-asset.js): a pointer within SNAP_PX pixels of a
// neighbouring parcel's vertex takes that vertex's exact coordinates; else, within SNAP_PX of one
// of its edges, the nearest point of that edge. Neighbours come from the API with their full
// outlines (tile geometry is quantised to the tile grid: a snapped vertex would be centimetres off).
import { api } from '../api.js';

/** SNAP_PX is how near (in screen pixels) the pointer must come to snap. */
export const SNAP_PX = 10;

/** rings lists every ring (array of [lon, lat]) of a Polygon or MultiPolygon. */
export function rings(g) {
  if (!g) return [];
  if (g.type === 'Polygon') return g.coordinates;
  if (g.type === 'MultiPolygon') return g.coordinates.flat();
  return [];
}

/** bboxOf is [minLon, minLat, maxLon, maxLat] of a geometry's rings. */
export function bboxOf(g) {
  const pts = rings(g).flat();
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/**
 * loadNeighbours fetches the live land parcels within pad degrees of bbox (about 500 m by default)
 * with their full outlines, leaving out the asset being edited.
 */
export async function loadNeighbours(bbox, exceptId, pad = 0.005) {
  const [x0, y0, x1, y1] = [bbox[0] - pad, bbox[1] - pad, bbox[2] + pad, bbox[3] + pad];
  const within = JSON.stringify({ type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });
  const fc = await api.assets(null, { within, kind: 'land', format: 'geojson', geometry: 'full', limit: 2000, properties: 'id,code' });
  return fc.features.filter((f) => f.id !== exceptId && f.properties?.id !== exceptId);
}

/** nearestOnSegment is the point of segment a–b (screen points) nearest p, with its parameter t. */
function nearestOnSegment(p, a, b) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2)) : 0;
  return { t, x: a.x + t * dx, y: a.y + t * dy };
}

/**
 * snapPoint turns a screen point into coordinates: a neighbour's vertex within SNAP_PX first,
 * then the nearest point of a neighbour's edge within SNAP_PX, else the point unprojected.
 * It returns { lngLat: [lon, lat], snapped: 'vertex' | 'edge' | null }.
 */
export function snapPoint(map, point, neighbours) {
  let best = null;
  let bestD = SNAP_PX;
  const rs = neighbours.flatMap((f) => rings(f.geometry));
  for (const r of rs) {
    for (const c of r) {
      const s = map.project(c);
      const d = Math.hypot(s.x - point.x, s.y - point.y);
      if (d <= bestD) { bestD = d; best = { lngLat: [c[0], c[1]], snapped: 'vertex' }; }
    }
  }
  if (best) return best;
  for (const r of rs) {
    for (let i = 0; i + 1 < r.length; i++) {
      const a = map.project(r[i]);
      const b = map.project(r[i + 1]);
      const n = nearestOnSegment(point, a, b);
      const d = Math.hypot(n.x - point.x, n.y - point.y);
      if (d <= bestD) {
        bestD = d;
        const [p, q] = [r[i], r[i + 1]];
        best = { lngLat: [p[0] + n.t * (q[0] - p[0]), p[1] + n.t * (q[1] - p[1])], snapped: 'edge' };
      }
    }
  }
  if (best) return best;
  const ll = map.unproject(point);
  return { lngLat: [ll.lng, ll.lat], snapped: null };
}
