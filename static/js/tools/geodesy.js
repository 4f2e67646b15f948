// Geodesy on the CGCS2000 ellipsoid (a = 6378137 m, f = 1/298.257222101; GRS 80's shape, the same
// as WGS 84 to 0.1 mm), with no library: no geodesic library is vendored.
// - distance: Vincenty's inverse formula (sub-millimetre for any two points not nearly antipodal);
// - area: the polygon on the authalic (equal-area) sphere, lon/lat edges treated as rhumb segments
//   there: exact for quadrangles bounded by meridians and parallels, and within 1e-6 of the geodesic
//   polygon's area for parcels and anything up to tens of kilometres;
// - Gauss-Krüger: the transverse Mercator (k0 = 1) by Krüger's n-series to n⁴ (about 1 mm inside a
//   3° or 6° zone), forward and inverse; zones of 3° are numbered by central meridian / 3.

const A = 6378137;
const F = 1 / 298.257222101;
const B = A * (1 - F);
const E2 = F * (2 - F);
const E = Math.sqrt(E2);
const RAD = Math.PI / 180;

/** MU_M2 is one 亩 in square metres (1 公顷 = 15 亩). */
export const MU_M2 = 10000 / 15;

/** distance is the geodesic length in metres between [lon, lat] a and b (Vincenty's inverse). */
export function distance(a, b) {
  const L = (b[0] - a[0]) * RAD;
  const U1 = Math.atan((1 - F) * Math.tan(a[1] * RAD));
  const U2 = Math.atan((1 - F) * Math.tan(b[1] * RAD));
  const [sinU1, cosU1, sinU2, cosU2] = [Math.sin(U1), Math.cos(U1), Math.sin(U2), Math.cos(U2)];
  let lambda = L;
  let s = { sinSigma: 0, cosSigma: 1, sigma: 0, cos2Alpha: 1, cos2SigmaM: 0 };
  for (let i = 0; i < 200; i++) {
    const sinL = Math.sin(lambda);
    const cosL = Math.cos(lambda);
    const sinSigma = Math.hypot(cosU2 * sinL, cosU1 * sinU2 - sinU1 * cosU2 * cosL);
    if (sinSigma === 0) return 0; // the same point
    const cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosL;
    const sigma = Math.atan2(sinSigma, cosSigma);
    const sinAlpha = (cosU1 * cosU2 * sinL) / sinSigma;
    const cos2Alpha = 1 - sinAlpha * sinAlpha;
    const cos2SigmaM = cos2Alpha === 0 ? 0 : cosSigma - (2 * sinU1 * sinU2) / cos2Alpha;
    const C = (F / 16) * cos2Alpha * (4 + F * (4 - 3 * cos2Alpha));
    const prev = lambda;
    lambda = L + (1 - C) * F * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM ** 2)));
    s = { sinSigma, cosSigma, sigma, cos2Alpha, cos2SigmaM };
    if (Math.abs(lambda - prev) < 1e-12) break;
  }
  const u2 = (s.cos2Alpha * (A * A - B * B)) / (B * B);
  const bigA = 1 + (u2 / 16384) * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
  const bigB = (u2 / 1024) * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
  const { sinSigma, cosSigma, sigma, cos2SigmaM } = s;
  const dSigma = bigB * sinSigma * (cos2SigmaM + (bigB / 4) * (cosSigma * (-1 + 2 * cos2SigmaM ** 2)
    - (bigB / 6) * cos2SigmaM * (-3 + 4 * sinSigma ** 2) * (-3 + 4 * cos2SigmaM ** 2)));
  return B * bigA * (sigma - dSigma);
}

/** length is the geodesic length in metres of a line of [lon, lat] points. */
export function length(points) {
  let m = 0;
  for (let i = 1; i < points.length; i++) m += distance(points[i - 1], points[i]);
  return m;
}

// q of the authalic latitude (Snyder 3-12), and the authalic sphere's radius.
const qOf = (sinPhi) => (1 - E2) * (sinPhi / (1 - E2 * sinPhi * sinPhi) - (1 / (2 * E)) * Math.log((1 - E * sinPhi) / (1 + E * sinPhi)));
const QP = qOf(1);
const RQ2 = (A * A * QP) / 2;

/** area is the area in square metres of a ring of [lon, lat] points (closed or not), on the ellipsoid. */
export function area(ring) {
  const n = ring.length;
  if (n < 3) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const p = ring[i];
    const q = ring[(i + 1) % n];
    const sinB1 = qOf(Math.sin(p[1] * RAD)) / QP; // sine of the authalic latitude
    const sinB2 = qOf(Math.sin(q[1] * RAD)) / QP;
    sum += (q[0] - p[0]) * RAD * (sinB1 + sinB2) / 2;
  }
  return Math.abs(sum) * RQ2;
}

// Krüger's series in n (Karney 2011, eqs. 35, 36 to n⁴).
const N = F / (2 - F);
const AA = (A / (1 + N)) * (1 + N ** 2 / 4 + N ** 4 / 64);
const ALPHA = [N / 2 - (2 * N ** 2) / 3 + (5 * N ** 3) / 16 + (41 * N ** 4) / 180, (13 * N ** 2) / 48 - (3 * N ** 3) / 5 + (557 * N ** 4) / 1440,
  (61 * N ** 3) / 240 - (103 * N ** 4) / 140, (49561 * N ** 4) / 161280];
const BETA = [N / 2 - (2 * N ** 2) / 3 + (37 * N ** 3) / 96 - N ** 4 / 360, N ** 2 / 48 + N ** 3 / 15 - (437 * N ** 4) / 1440,
  (17 * N ** 3) / 480 - (37 * N ** 4) / 840, (4397 * N ** 4) / 161280];
const DELTA = [2 * N - (2 * N ** 2) / 3 - 2 * N ** 3 + (116 * N ** 4) / 45, (7 * N ** 2) / 3 - (8 * N ** 3) / 5 - (227 * N ** 4) / 45,
  (56 * N ** 3) / 15 - (136 * N ** 4) / 35, (4279 * N ** 4) / 630];
const K = (2 * Math.sqrt(N)) / (1 + N);

/** zone3 is the 3° Gauss-Krüger zone of a longitude (central meridian 3 × zone). */
export const zone3 = (lon) => Math.round(lon / 3);

/**
 * toGK projects [lon, lat] into the Gauss-Krüger zone with central meridian cm: {x: northing,
 * y: easting with 500 km false easting, and the zone number prefixed when prefix is given}.
 */
export function toGK([lon, lat], cm, prefix = 0) {
  const phi = lat * RAD;
  const dl = (lon - cm) * RAD;
  const t = Math.sinh(Math.atanh(Math.sin(phi)) - K * Math.atanh(K * Math.sin(phi)));
  const xi1 = Math.atan2(t, Math.cos(dl));
  const eta1 = Math.atanh(Math.sin(dl) / Math.sqrt(1 + t * t));
  let xi = xi1;
  let eta = eta1;
  ALPHA.forEach((a, j) => {
    xi += a * Math.sin(2 * (j + 1) * xi1) * Math.cosh(2 * (j + 1) * eta1);
    eta += a * Math.cos(2 * (j + 1) * xi1) * Math.sinh(2 * (j + 1) * eta1);
  });
  return { x: AA * xi, y: prefix * 1e6 + 500000 + AA * eta };
}

/** fromGK is toGK's inverse: [lon, lat] of northing x and easting y (its prefix, if any, removed). */
export function fromGK(x, y, cm) {
  const xi = x / AA;
  const eta = (y - 500000) / AA;
  let xi1 = xi;
  let eta1 = eta;
  BETA.forEach((b, j) => {
    xi1 -= b * Math.sin(2 * (j + 1) * xi) * Math.cosh(2 * (j + 1) * eta);
    eta1 -= b * Math.cos(2 * (j + 1) * xi) * Math.sinh(2 * (j + 1) * eta);
  });
  const chi = Math.asin(Math.sin(xi1) / Math.cosh(eta1));
  let phi = chi;
  DELTA.forEach((d, j) => { phi += d * Math.sin(2 * (j + 1) * chi); });
  return [cm + Math.atan2(Math.sinh(eta1), Math.cos(xi1)) / RAD, phi / RAD];
}
