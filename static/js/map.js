// The MapLibre map: its style (background, the basemaps of basemap.js, the OneMap layers), its controls,
// county labels as HTML markers (no glyph downloads: the browser's own CJK fonts draw them), hover
// tips and clicks on assets.
import { perFeature, dataLayers, OVERLAYS, applyLayerState, ASSET_LAYER_IDS, REGION_COLOR, featureId } from './layers.js';
import { api, tileURL } from './api.js';
import { state } from './state.js';
import { t, label, mu } from './i18n.js';
import { h } from './dom.js';
import { basemapStyle, BasemapSwitch } from './basemap.js';

/** CJK_FONTS draw the map's Chinese labels (also in the printed map, tools/print.js). */
export const CJK_FONTS = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif";
const BACKGROUND = { map: '#eef1f5', dashboard: '#0d1f35' };

/** createMap builds the map; it resolves once the style is loaded. */
export function createMap(container, { config, tilejson }) {
  const bm = basemapStyle(config);
  const [w, s, e, n] = tilejson?.bounds || [113.5, 29.0, 114.9, 30.2];
  const map = new maplibregl.Map({
    container,
    style: {
      version: 8,
      sources: {
        onemap: { type: 'vector', tiles: [tileURL(state.filters)], minzoom: tilejson?.minzoom ?? 0,
          maxzoom: tilejson?.maxzoom ?? 16, attribution: t('attribution') },
        ...bm.sources,
      },
      layers: [
        { id: 'background', type: 'background', paint: { 'background-color': BACKGROUND[state.route] } },
        ...bm.layers,
        ...dataLayers(),
      ],
    },
    bounds: state.center ? undefined : [[w, s], [e, n]],
    // Room for the legend (top left) and the result bar (bottom).
    fitBoundsOptions: { padding: state.route === 'dashboard' || narrow() ? 30 : { top: 30, bottom: 80, left: 250, right: 40 } },
    center: state.center || undefined,
    zoom: state.zoom ?? undefined,
    maxZoom: 19,
    localIdeographFontFamily: CJK_FONTS,
    attributionControl: { compact: true },
    dragRotate: false,
    pitchWithRotate: false,
    hash: false,
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
  map.addControl(new BasemapSwitch(config), 'top-right'); // beside the zoom buttons
  return new Promise((resolve) => map.once('load', () => resolve(map)));
}

/** refreshTiles points the tile source at the current filters (stage, mode, region, zone). */
export function refreshTiles(map) {
  setTileURL(map, 'onemap', tileURL(state.filters));
}

/**
 * setTileURL points vector source id at a new tile URL (filters, data version, past time, offline
 * package); no tile asked for from the old URL is drawn after it.
 * MapLibre's setTiles alone does not promise that (5.24, and 6.20 still): a tile whose request is in
 * flight is reloaded by waiting for the old answer and re-parsing it, so it keeps the old URL's
 * features (the filters test saw the zone's 128 parcels for the 32 of zone + 未盘活); and setTiles
 * stores the URL for a reload that comes later (maplibre-gl-js#8323, fixed in 6), so tiles asked
 * for meanwhile would still go to the old URL. Hence the URL is set at once and every tile on its
 * way is dropped, its request cancelled: the next frame asks for it again at the new URL. Tiles
 * loaded and at rest stay on screen until their reload arrives, so the map does not flash. This
 * reaches into MapLibre's tile manager (style.tileManagers, Tile.state, _removeTile of 5.24): the
 * filters test that holds the old URL's tiles back fails if a MapLibre bump changes them.
 */
export function setTileURL(map, id, url) {
  const src = map.getSource(id);
  src.tiles = [url];
  src.setTiles([url]);
  dropInFlight(map.style.tileManagers?.[id]);
  map.triggerRepaint();
}

/** inFlight tells a tile whose answer has not come yet (see Tile.state in MapLibre). */
const inFlight = (tile) => ['loading', 'reloading', 'expired'].includes(tile.state) || Boolean(tile.abortController);

/**
 * dropInFlight removes the tiles of a MapLibre tile manager whose answer has not come yet. Marked
 * 'reloading', the manager cancels and unloads such a tile rather than caching it with old data.
 */
function dropInFlight(tiles) {
  if (!tiles) return;
  for (const key of tiles.getIds()) {
    const tile = tiles.getTileByID(key);
    if (!tile || !inFlight(tile)) continue;
    tile.state = 'reloading';
    tiles._removeTile(key);
  }
}

/** applyTheme gives the map the light (map) or dark (leader view) look. */
export function applyTheme(map) {
  const dark = state.route === 'dashboard';
  const set = (id, k, v) => { if (JSON.stringify(map.getPaintProperty(id, k)) !== JSON.stringify(v)) map.setPaintProperty(id, k, v); };
  set('background', 'background-color', BACKGROUND[state.route]);
  set('region-line', 'line-color', perFeature(dark ? '#74c0fc' : REGION_COLOR));
  set('region-casing', 'line-opacity', dark ? 0 : 0.7);
  set('region-fill', 'fill-opacity', perFeature(dark ? 0.08 : 0.025));
}

/** refresh re-applies everything that follows from the state. */
export function refresh(map) {
  applyLayerState(map);
  applyTheme(map);
}

const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/**
 * addRegionLabels puts each county's name at its centre as an HTML label; a label that would sit
 * under one of the map's boxes (legend, choropleth control, result list, panel) is hidden.
 */
export function addRegionLabels(map, regions, avoid = ['#legend', '#choro', '#results', '#panel']) {
  const centre = (r) => (Array.isArray(r.center) ? r.center : Array.isArray(r.bbox) ? [(r.bbox[0] + r.bbox[2]) / 2, (r.bbox[1] + r.bbox[3]) / 2] : null);
  const markers = regions.filter(centre).map((r) => {
    const el = h('div', { class: 'region-label', 'aria-hidden': 'true', 'data-region': r.code }, h('span', { class: 'region-name' }, r.name));
    return new maplibregl.Marker({ element: el }).setLngLat(centre(r)).addTo(map);
  });
  const sync = () => {
    const show = state.layers.has('region');
    const boxes = avoid.map((s) => document.querySelector(s)).filter((e) => e && !e.hidden && e.offsetParent).map((e) => e.getBoundingClientRect());
    for (const m of markers) {
      const el = m.getElement();
      el.style.display = show ? '' : 'none';
      if (show) el.style.visibility = boxes.some((b) => overlaps(el.getBoundingClientRect(), b)) ? 'hidden' : '';
    }
  };
  map.on('move', sync);
  map.on('resize', sync);
  sync();
  return sync;
}

function tipContent(f, known) {
  const p = f.properties;
  if (featureId(f) == null) {
    return h('div', { class: 'tip' }, h('strong', {}, t('aggregate', { n: p.count ?? '?' })),
      h('div', {}, mu(p.area_mu)), h('div', { class: 'muted' }, t('aggregate.hint')));
  }
  // Zoom-14 tiles carry no name or code (see tiles/doc.go); `known` has them from the API.
  const name = p.name || known?.name;
  const code = p.code || known?.code;
  return h('div', { class: 'tip' },
    h('strong', { class: name || code ? '' : 'muted' }, name || code || t('panel.loading')),
    h('div', { class: 'muted' }, [label('kind', p.kind || f.sourceLayer), code].filter(Boolean).join(' · ')),
    h('div', {}, `${mu(p.area_mu)} · ${label('mode', p.mode)} · ${label('stage', p.stage)}`));
}

/**
 * tipNames looks up the name and code of assets drawn without them, once per asset, after the
 * pointer has rested on one for a moment (moving across a town fetches nothing).
 */
function tipNames(onKnown) {
  const known = new Map();
  let timer = 0;
  return {
    get: (id) => known.get(id),
    want(id) {
      clearTimeout(timer);
      if (id == null || known.has(id)) return;
      timer = setTimeout(async () => {
        try {
          const a = await api.asset(id);
          known.set(id, { name: a.name, code: a.code });
          onKnown(id);
        } catch { /* the tip keeps what the tile had */ }
      }, 150);
    },
  };
}

/**
 * wireInteraction shows hover tips, calls onPick(id) when an asset is clicked and
 * onZone(zoneProperties, lngLat) when a click lands on a development zone but on no asset.
 */
export function wireInteraction(map, onPick, onZone) {
  const tip = new maplibregl.Popup({ closeButton: false, closeOnClick: false, className: 'om-tip', offset: 12, maxWidth: '280px' });
  const layers = () => ASSET_LAYER_IDS.filter((id) => map.getLayer(id));
  let shown = null;
  const names = tipNames((id) => {
    if (shown && featureId(shown) === id && tip.isOpen()) tip.setDOMContent(tipContent(shown, names.get(id)));
  });
  map.on('mousemove', (e) => {
    if (state.drawing) { shown = null; tip.remove(); return; }
    const f = map.queryRenderedFeatures(e.point, { layers: layers() })[0];
    map.getCanvas().style.cursor = f ? 'pointer' : '';
    shown = f || null;
    if (!f) { names.want(null); tip.remove(); return; }
    const id = featureId(f);
    names.want(id != null && !f.properties.code ? id : null);
    tip.setLngLat(e.lngLat).setDOMContent(tipContent(f, names.get(id))).addTo(map);
  });
  map.on('mouseout', () => { shown = null; names.want(null); tip.remove(); });
  map.on('click', (e) => {
    if (state.drawing) return; // a click while drawing only places a vertex
    const f = map.queryRenderedFeatures(e.point, { layers: layers() })[0];
    if (!f) {
      const z = map.getLayer('zone-fill') && map.queryRenderedFeatures(e.point, { layers: ['zone-fill'] })[0];
      if (z) onZone(z.properties, e.lngLat);
      return;
    }
    const id = featureId(f);
    if (id == null) {
      map.easeTo({ center: e.lngLat, zoom: Math.min(map.getZoom() + 2, 16) });
      return;
    }
    onPick(id);
  });
}

/** setOverlay fills one of the OVERLAYS, adding its source and layers the first time it has data. */
function setOverlay(map, id, features) {
  const data = { type: 'FeatureCollection', features };
  const source = map.getSource(id);
  if (source) {
    source.setData(data);
  } else if (features.length) {
    // Added on first use so that the first paint does not wait for empty GeoJSON sources.
    map.addSource(id, { type: 'geojson', data });
    for (const layer of OVERLAYS[id]) map.addLayer(layer);
  }
}

/** showQueryArea outlines the zone or drawn shape of a spatial query (null clears it). */
export function showQueryArea(map, geometry) {
  setOverlay(map, 'query-area', geometry ? [{ type: 'Feature', properties: {}, geometry }] : []);
}

/** showQueryHits marks each result of a spatial query by a point on it (GeoJSON features; null clears). */
export function showQueryHits(map, features) {
  setOverlay(map, 'query-hits', (features || []).map((f) => ({ type: 'Feature', id: f.id, properties: {}, geometry: f.geometry })));
}

/** showFilterHits marks each result of the filters by a point on it (GeoJSON features; null clears). */
export function showFilterHits(map, features) {
  setOverlay(map, 'filter-hits', (features || []).map((f) => ({ type: 'Feature', id: f.id,
    properties: { mode: f.properties?.mode, stage: f.properties?.stage }, geometry: f.geometry })));
  if (map.getLayer('filter-hits')) applyLayerState(map); // its colouring
}

/** bboxOf returns [minx, miny, maxx, maxy] of a GeoJSON geometry. */
export function bboxOf(geom) {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c) => {
    if (typeof c[0] === 'number') {
      b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]);
      b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]);
    } else c.forEach(walk);
  };
  if (geom?.type === 'GeometryCollection') geom.geometries.forEach((g) => walk(g.coordinates));
  else if (geom?.coordinates) walk(geom.coordinates);
  return b;
}

/** narrow tells the phone layout (css/layout.css), where the list and panel are bottom sheets. */
const narrow = () => window.matchMedia('(max-width: 640px)').matches;

/** framePadding keeps framed features clear of the legend, result list and asset panel. */
export function framePadding() {
  if (state.route === 'dashboard') return 40;
  if (narrow()) {
    const panel = !document.getElementById('panel')?.hidden;
    return { top: 60, left: 20, right: 20, bottom: panel ? Math.round(window.innerHeight * 0.62) : 110 };
  }
  const results = document.getElementById('results');
  // An expanded list may grow to 46 % of the map's height (see .results in onemap.css).
  const bottom = results && !results.hidden && results.classList.contains('expanded') ? Math.round(results.parentElement.clientHeight * 0.46) + 40 : 80;
  const panel = !document.getElementById('panel')?.hidden;
  return fitPadding({ top: 40, left: 250, right: panel ? 440 : 50, bottom });
}

/**
 * fitPadding shrinks a padding that would leave the map less than 40 % of its width or height
 * (a phone, where legend, list and panel lie over the map rather than beside it): MapLibre
 * cannot fit bounds into a negative room and zooms out to the world instead.
 */
function fitPadding(p) {
  const el = document.getElementById('map');
  const w = el?.clientWidth || 0, h = el?.clientHeight || 0;
  const shrink = (a, b, size) => (a + b > size * 0.6 ? [Math.round(size * 0.1), Math.round(size * 0.1)] : [a, b]);
  [p.left, p.right] = shrink(p.left, p.right, w);
  [p.top, p.bottom] = shrink(p.top, p.bottom, h);
  return p;
}

/** flyToGeometry frames a geometry (a point gets a street-level zoom). */
export function flyToGeometry(map, geom, padding = framePadding()) {
  const [x0, y0, x1, y1] = bboxOf(geom);
  if (!Number.isFinite(x0)) return;
  if (x0 === x1 && y0 === y1) map.flyTo({ center: [x0, y0], zoom: 16, padding });
  else map.fitBounds([[x0, y0], [x1, y1]], { padding, maxZoom: 17, duration: 900 });
}
