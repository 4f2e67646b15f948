// Reads an offline package (PMTiles) in node, independently of the page under test: the vendored
// pmtiles library over the file, and a minimal Mapbox Vector Tile decoder for feature properties.
import { readFileSync, readdirSync } from 'node:fs';
import vm from 'node:vm';
import path from 'node:path';
import { ROOT } from './harness.js';

/** loadPMTiles runs the vendored pmtiles.js (a classic script setting `pmtiles`) and returns it. */
function loadPMTiles() {
  const dir = path.join(ROOT, 'static/vendor');
  const [version] = readdirSync(dir).filter((d) => d.startsWith('pmtiles@'));
  const lib = readFileSync(path.join(dir, version, 'pmtiles.js'), 'utf8');
  const ctx = vm.createContext({ DecompressionStream, Response, TextDecoder, Uint8Array, ArrayBuffer, DataView, Promise, Math, Error, console });
  vm.runInContext(`${lib}\nthis.pmtiles = pmtiles;`, ctx);
  return ctx.pmtiles;
}

/** reader reads protobuf varints and byte runs from buf in turn. */
function reader(buf) {
  let i = 0;
  return {
    varint() {
      let v = 0;
      let m = 1;
      for (;;) {
        const b = buf[i++];
        v += (b & 0x7f) * m;
        if (b < 0x80) return v;
        m *= 128;
      }
    },
    skip: (n) => { const at = i; i += n; return buf.subarray(at, i); },
    more: () => i < buf.length,
  };
}

/** fields reads the protobuf fields of buf, calling fn(field, wireType, value) for each. */
function fields(buf, fn) {
  const r = reader(buf);
  while (r.more()) {
    const key = r.varint();
    const [field, wire] = [Math.floor(key / 8), key & 7];
    if (wire === 0) fn(field, wire, r.varint());
    else if (wire === 1) fn(field, wire, r.skip(8));
    else if (wire === 5) fn(field, wire, r.skip(4));
    else if (wire === 2) fn(field, wire, r.skip(r.varint()));
    else throw new Error(`wire type ${wire}`);
  }
}

function value(buf) {
  let v = null;
  fields(buf, (f, w, x) => {
    const dv = w === 1 || w === 5 ? new DataView(x.buffer, x.byteOffset, x.length) : null;
    if (f === 1) v = new TextDecoder().decode(x);
    else if (f === 2) v = dv.getFloat32(0, true);
    else if (f === 3) v = dv.getFloat64(0, true);
    else if (f === 4 || f === 5) v = x;
    else if (f === 6) v = x % 2 ? -(x + 1) / 2 : x / 2;
    else if (f === 7) v = Boolean(x);
  });
  return v;
}

function packed(buf) {
  const out = [];
  const r = reader(buf);
  while (r.more()) out.push(r.varint());
  return out;
}

/** decodeMVT gives each layer's features' properties: { land: [{code, stage, …}], … }. */
export function decodeMVT(bytes) {
  const layers = {};
  fields(new Uint8Array(bytes), (f, w, layer) => {
    if (f !== 3) return;
    let name = '';
    const keys = [];
    const values = [];
    const feats = [];
    fields(layer, (lf, lw, x) => {
      if (lf === 1) name = new TextDecoder().decode(x);
      else if (lf === 2) feats.push(x);
      else if (lf === 3) keys.push(new TextDecoder().decode(x));
      else if (lf === 4) values.push(value(x));
    });
    layers[name] = feats.map((feat) => {
      const props = {};
      fields(feat, (ff, fw, x) => {
        if (ff !== 2) return;
        const tags = packed(x);
        for (let k = 0; k < tags.length; k += 2) props[keys[tags[k]]] = values[tags[k + 1]];
      });
      return props;
    });
  });
  return layers;
}

/** openPackage opens a .pmtiles file: its header, metadata, and tile(z, x, y) decoded (null when absent). */
export async function openPackage(file) {
  const { PMTiles } = loadPMTiles();
  const data = readFileSync(file);
  const source = {
    getKey: () => file,
    getBytes: async (offset, length) => ({ data: data.buffer.slice(data.byteOffset + offset, data.byteOffset + offset + length) }),
  };
  const pkg = new PMTiles(source);
  return {
    header: await pkg.getHeader(),
    metadata: await pkg.getMetadata(),
    tile: async (z, x, y) => {
      const r = await pkg.getZxy(z, x, y);
      return r ? decodeMVT(r.data) : null;
    },
  };
}

/** tileAt is the tile of zoom z holding lon, lat (Web Mercator). */
export function tileAt(z, lon, lat) {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)];
}
