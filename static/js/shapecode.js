// A drawn query's area in a share link: a Polygon or MultiPolygon as a short URL-safe text, the
// polyline algorithm (each coordinate in millionths of a degree, ~0.1 m, as a zigzag delta of
// the one before in 5-bit groups) over the base64url alphabet; '.' ends a ring, '*' a polygon.
// Rings are written without their closing point. A circle of 64 points takes ~400 characters.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const SCALE = 1e6;

function putNumber(out, d) {
  let z = d < 0 ? -2 * d - 1 : 2 * d;
  while (z >= 32) {
    out.push(ALPHABET[32 + (z % 32)]);
    z = Math.floor(z / 32);
  }
  out.push(ALPHABET[z]);
}

/** encodeShape writes a GeoJSON Polygon or MultiPolygon as text (null for anything else). */
export function encodeShape(geom) {
  const polys = geom?.type === 'Polygon' ? [geom.coordinates] : geom?.type === 'MultiPolygon' ? geom.coordinates : null;
  if (!polys) return null;
  const out = [];
  let px = 0, py = 0;
  polys.forEach((rings, i) => {
    if (i) out.push('*');
    rings.forEach((ring, j) => {
      if (j) out.push('.');
      const open = ring.length > 1 && ring[0][0] === ring.at(-1)[0] && ring[0][1] === ring.at(-1)[1] ? ring.slice(0, -1) : ring;
      for (const [x, y] of open) {
        const ix = Math.round(x * SCALE), iy = Math.round(y * SCALE);
        putNumber(out, ix - px);
        putNumber(out, iy - py);
        px = ix; py = iy;
      }
    });
  });
  return out.join('');
}

/** decodeShape reads encodeShape's text back; it throws on text it did not write. */
export function decodeShape(text) {
  let px = 0, py = 0;
  const ring = (s) => {
    const pts = [];
    let i = 0;
    const num = () => {
      let z = 0, f = 1, v;
      do {
        if (i >= s.length) throw new Error('shape: truncated');
        v = ALPHABET.indexOf(s[i++]);
        if (v < 0) throw new Error('shape: bad character');
        z += (v % 32) * f;
        f *= 32;
      } while (v >= 32);
      return z % 2 ? -(z + 1) / 2 : z / 2;
    };
    while (i < s.length) {
      px += num();
      py += num();
      pts.push([px / SCALE, py / SCALE]);
    }
    if (pts.length < 3) throw new Error('shape: a ring of fewer than 3 points');
    return [...pts, pts[0]];
  };
  const polys = String(text).split('*').map((p) => p.split('.').map(ring));
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
}

/** roundShape is geom as its link will bring it back, so a query and its link ask the same. */
export const roundShape = (geom) => decodeShape(encodeShape(geom));
