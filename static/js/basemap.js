// The basemaps: which ones the server offers (none, offline, always; 天地图 矢量 and 影像, each with
// its 注记, with a Tianditu key; an XYZ template), their raster sources and layers, which one shows
// (Tianditu vector by default when there is a key, else none), and the map's one-click switch
// between 矢量 and 影像. Tianditu's _w sets are Web Mercator on CGCS2000 (≈ WGS 84): no offset.
import { state, emit, on } from './state.js';
import { h } from './dom.js';
import { t, addWords } from './i18n.js';

addWords('zh', { 'basemap.switch': '切换底图', 'basemap.switch.tdt_vec': '矢量', 'basemap.switch.tdt_img': '影像' });
addWords('en', { 'basemap.switch': 'Switch basemap', 'basemap.switch.tdt_vec': 'Map', 'basemap.switch.tdt_img': 'Imagery' });

/** TIANDITU_ATTRIBUTION is the credit the Tianditu tiles carry on the map. */
export const TIANDITU_ATTRIBUTION = '© 天地图 / 国家地理信息公共服务平台';
const TIANDITU_URL = 'https://t{s}.tianditu.gov.cn/{layer}_w/wmts';
/** TIANDITU groups each Tianditu basemap's layers: the picture, then its 注记 (labels) above it. */
const TIANDITU = { tdt_vec: ['vec', 'cva'], tdt_img: ['img', 'cia'] };

/** basemaps lists the basemaps this server can offer: none always, Tianditu with a key, XYZ with a URL. */
export function basemaps(config) {
  const out = [{ id: 'none' }];
  if (config.tianditu_key) out.push({ id: 'tdt_vec' }, { id: 'tdt_img' });
  if (config.basemap_url) out.push({ id: 'xyz' });
  return out;
}

/**
 * chooseBasemap makes state.basemap one the server offers — the link's, else the default:
 * Tianditu vector with a key, else none (offline) — and returns the offered list.
 */
export function chooseBasemap(config) {
  const list = basemaps(config);
  state.basemapDefault = config.tianditu_key ? 'tdt_vec' : 'none';
  if (!list.some((b) => b.id === state.basemap)) state.basemap = state.basemapDefault;
  return list;
}

/** tiandituSource is one Tianditu layer (vec, cva, img, cia) as a raster source over its subdomains. */
function tiandituSource(layer, config) {
  const q = `SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles` +
    `&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(config.tianditu_key)}`;
  const template = (config.tianditu_url || TIANDITU_URL).replaceAll('{layer}', layer);
  const hosts = template.includes('{s}') ? [0, 1, 2, 3, 4, 5, 6, 7].map((s) => template.replaceAll('{s}', s)) : [template];
  return { type: 'raster', tileSize: 256, maxzoom: 18, tiles: hosts.map((u) => `${u}?${q}`), attribution: TIANDITU_ATTRIBUTION };
}

/** basemapStyle returns the raster sources and layers of every available basemap (hidden unless chosen). */
export function basemapStyle(config) {
  const sources = {};
  const layers = [];
  const add = (id, group, src) => {
    sources[id] = src;
    layers.push({ id, type: 'raster', source: id, metadata: { basemap: group },
      layout: { visibility: state.basemap === group ? 'visible' : 'none' } });
  };
  if (config.tianditu_key) {
    for (const [group, names] of Object.entries(TIANDITU)) {
      for (const name of names) add(`tdt-${name}`, group, tiandituSource(name, config));
    }
  }
  if (config.basemap_url) add('xyz', 'xyz', { type: 'raster', tileSize: 256, tiles: [config.basemap_url] });
  return { sources, layers };
}

/** setBasemap shows one basemap group and hides the others. */
export function setBasemap(map, id) {
  for (const layer of map.getStyle().layers) {
    if (layer.metadata?.basemap) map.setLayoutProperty(layer.id, 'visibility', layer.metadata.basemap === id ? 'visible' : 'none');
  }
}

/**
 * BasemapSwitch is the map's one-click 矢量 ⇄ 影像 button (top right), shown when the server
 * offers Tianditu: it names the basemap a click brings; on any other basemap it brings 影像.
 */
export class BasemapSwitch {
  constructor(config) {
    this.offered = Boolean(config.tianditu_key);
    this.el = h('div', { class: 'maplibregl-ctrl basemap-switch' });
    on('basemap', () => this.render());
    on('lang', () => this.render());
  }

  onAdd() { this.render(); return this.el; }

  onRemove() { this.el.remove(); }

  render() {
    this.el.hidden = !this.offered;
    const next = state.basemap === 'tdt_img' ? 'tdt_vec' : 'tdt_img';
    this.el.replaceChildren(h('button', {
      type: 'button', class: `basemap-switch-btn to-${next}`, 'data-basemap': next, title: t('basemap.switch'),
      onclick: () => { state.basemap = next; emit('basemap'); },
    }, t(`basemap.switch.${next}`)));
  }
}
