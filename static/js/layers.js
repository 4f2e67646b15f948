// The map's own layers drawn from the composite `onemap` tile source: counties, zones and the five
// asset kinds, coloured by disposal mode or stage, with the client-side part of the filters.
import { KINDS, STAGES, MODES, state } from './state.js';

export const MODE_COLORS = { use: '#1c7ed6', sell: '#f76707', lease: '#0ca678', finance: '#7048e8', undecided: '#868e96' };
export const STAGE_COLORS = { idle: '#e03131', planned: '#f59f00', in_progress: '#1971c2', done: '#2f9e44' };
export const KIND_COLORS = { land: '#8c6d46', mine: '#495057', forest: '#2b8a3e', water: '#1864ab', building: '#c2255c' };
export const ZONE_COLOR = '#7048e8';
export const REGION_COLOR = '#364fc7';
/** QUERY_COLOR marks a spatial query's area and results: a magenta no mode or stage uses (出售 is orange). */
export const QUERY_COLOR = '#d6249f';

/** colorsFor gives the category → colour table of a colouring ('mode' or 'stage'). */
export const colorsFor = (by) => (by === 'stage' ? STAGE_COLORS : MODE_COLORS);
/** valuesFor gives the categories of a colouring in display order. */
export const valuesFor = (by) => (by === 'stage' ? STAGES : MODES);

/** featureId is the asset id of a rendered feature, or null for an aggregated cell. */
export const featureId = (f) => {
  const id = f.properties.id ?? (f.properties.count == null ? f.id : null);
  return id == null ? null : Number(id);
};

/** ASSET_LAYER_IDS lists every clickable asset layer id. */
export const ASSET_LAYER_IDS = KINDS.flatMap((k) => [`${k}-fill`, `${k}-point`]);

const isPolygon = ['match', ['geometry-type'], ['Polygon', 'MultiPolygon'], true, false];
const isPoint = ['match', ['geometry-type'], ['Point', 'MultiPoint'], true, false];
// Asset ids travel as the `id` property (the contract); the MVT feature id is a fallback. A grid
// cell has neither, and MapLibre's ['id'] is then undefined, which `in` and `coalesce` do not
// take for null (it warned "Expected first argument to be of type boolean, string, number or null,
// but found object" on every query with results): to-number falls through to -1 instead.
const assetId = ['case', ['has', 'id'], ['get', 'id'], ['to-number', ['id'], -1]];
// Low-zoom grid cells carry a count and no id.
const isAggregate = ['all', ['has', 'count'], ['!', ['has', 'id']]];
/**
 * cellShade shades an overview cell by its cover (0–1) scaled by k: 0.15 for a sliver up to 0.9
 * when full. A cell of zoom z is 4^(13−z) times the area of a zoom-13 cell, so the same parcels
 * cover it that much less; k = 2^(13−z) keeps the city zooms from being uniformly faint while
 * dense cells still stand out.
 */
const cellShade = (k) => ['interpolate', ['linear'], ['sqrt', ['min', 1, ['*', k, ['to-number', ['get', 'cover'], 0]]]], 0, 0.15, 1, 0.9];

/** fillOpacity is a fill's opacity: overview cells shaded by cover, parcels by `parcel`. */
const fillOpacity = (parcel) => ['interpolate', ['linear'], ['zoom'],
  ...[8, 9, 10, 11, 12, 13].flatMap((z) => [z, ['case', isAggregate, cellShade(2 ** (13 - z)), parcel]])];
const aggregateRadius = ['interpolate', ['linear'], ['sqrt', ['to-number', ['get', 'count'], 1]], 1, 5, 30, 22];

/**
 * perFeature wraps a constant paint value so that MapLibre treats it as data-driven. Every fill
 * then shares one shader program, and every line another, with the asset layers (whose colours
 * are data-driven): each distinct program costs a shader compile on the first frame, which is
 * most of the first paint on software-rendered WebGL (virtual desktops, headless browsers).
 */
export const perFeature = (v) => ['case', ['has', '__onemap'], v, v];

function colorExpr(by) {
  const table = colorsFor(by);
  return ['match', ['get', by], ...valuesFor(by).flatMap((v) => [v, table[v]]), '#adb5bd'];
}

/** kindVisible tells whether a kind's layers show: toggled on, and not excluded by the kind filter. */
export function kindVisible(kind, s = state) {
  return s.layers.has(kind) && (!s.filters.kind.length || s.filters.kind.includes(kind));
}

function kindLayers(kind) {
  const shown = kindVisible(kind);
  const base = { source: 'onemap', 'source-layer': kind, layout: { visibility: shown ? 'visible' : 'none' } };
  // Highlight layers stay hidden while they have nothing to draw: a hidden layer costs MapLibre no
  // tile layout and no draw calls, which keeps the first paint short.
  const only = (on) => ({ ...base, layout: { visibility: shown && on ? 'visible' : 'none' } });
  const selected = ['==', assetId, state.selected ?? -1];
  const hits = ['in', assetId, ['literal', state.hits]];
  return [
    {
      ...base, id: `${kind}-fill`, type: 'fill', filter: isPolygon,
      paint: {
        'fill-color': colorExpr(state.colorBy),
        // A cell's shade says how much of it the parcels cover: a sliver is faint, a full cell solid.
        'fill-opacity': fillOpacity(kind === 'forest' || kind === 'water' ? 0.5 : 0.62),
        'fill-antialias': false,
      },
    },
    {
      ...base, id: `${kind}-line`, type: 'line', filter: isPolygon,
      paint: {
        'line-color': ['case', isAggregate, 'rgba(255,255,255,0.6)', KIND_COLORS[kind]],
        'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.3, 13, 0.8, 16, 1.6],
        'line-opacity': 0.9,
      },
    },
    {
      ...base, id: `${kind}-point`, type: 'circle', filter: isPoint,
      paint: {
        'circle-color': colorExpr(state.colorBy),
        // Zoom must be the top-level input; aggregated cells grow with their count instead.
        'circle-radius': ['interpolate', ['linear'], ['zoom'],
          ...[[8, 3.5], [14, 6], [17, 9]].flatMap(([z, r]) => [z, ['case', isAggregate, aggregateRadius, r]])],
        'circle-stroke-color': KIND_COLORS[kind],
        'circle-stroke-width': 1.5,
        'circle-opacity': 0.9,
      },
    },
    {
      ...only(state.hits.length > 0), id: `${kind}-hit`, type: 'line', filter: ['all', isPolygon, hits],
      paint: { 'line-color': perFeature(QUERY_COLOR), 'line-width': 2.5 },
    },
    {
      ...only(state.hits.length > 0), id: `${kind}-hit-point`, type: 'circle', filter: ['all', isPoint, hits],
      paint: { 'circle-radius': perFeature(9), 'circle-color': perFeature('rgba(0,0,0,0)'), 'circle-stroke-color': QUERY_COLOR, 'circle-stroke-width': 2.5 },
    },
    {
      ...only(state.selected != null), id: `${kind}-selected`, type: 'line', filter: ['all', isPolygon, selected],
      paint: { 'line-color': perFeature('#fab005'), 'line-width': 3.5 },
    },
    {
      ...only(state.selected != null), id: `${kind}-selected-point`, type: 'circle', filter: ['all', isPoint, selected],
      paint: { 'circle-radius': perFeature(11), 'circle-color': perFeature('rgba(0,0,0,0)'), 'circle-stroke-color': '#fab005', 'circle-stroke-width': 3 },
    },
  ];
}

function referenceLayers() {
  const vis = (k) => ({ visibility: state.layers.has(k) ? 'visible' : 'none' });
  return [
    { id: 'region-fill', type: 'fill', source: 'onemap', 'source-layer': 'region', layout: vis('region'),
      paint: { 'fill-color': perFeature(REGION_COLOR), 'fill-opacity': perFeature(0.025), 'fill-antialias': false } },
    { id: 'region-casing', type: 'line', source: 'onemap', 'source-layer': 'region', layout: vis('region'),
      paint: { 'line-color': perFeature('#ffffff'), 'line-width': 4, 'line-opacity': 0.7 } },
    { id: 'region-line', type: 'line', source: 'onemap', 'source-layer': 'region', layout: vis('region'),
      paint: { 'line-color': perFeature(REGION_COLOR), 'line-width': ['interpolate', ['linear'], ['zoom'], 7, 1, 12, 2], 'line-opacity': 0.75 } },
    { id: 'zone-fill', type: 'fill', source: 'onemap', 'source-layer': 'zone', layout: vis('zone'),
      paint: { 'fill-color': perFeature(ZONE_COLOR), 'fill-opacity': perFeature(0.07), 'fill-antialias': false } },
    { id: 'zone-line', type: 'line', source: 'onemap', 'source-layer': 'zone', layout: vis('zone'),
      paint: { 'line-color': perFeature(ZONE_COLOR), 'line-width': 1.6 } },
    { id: 'zone-selected', type: 'line', source: 'onemap', 'source-layer': 'zone',
      layout: { visibility: state.zoneQuery?.code ? 'visible' : 'none' },
      filter: ['==', ['get', 'code'], state.zoneQuery?.code ?? ''],
      paint: { 'line-color': perFeature(QUERY_COLOR), 'line-width': 3.5 } },
  ];
}

/** PARCEL_MIN_ZOOM is the zoom from which tiles hold single parcels (below it, grid cells). */
export const PARCEL_MIN_ZOOM = 14;

/**
 * OVERLAYS draw a spatial query on the map: the drawn area, and a point on each result where
 * tiles show grid cells instead of parcels (from PARCEL_MIN_ZOOM the tile layers' own highlight
 * takes over). map.js adds each with its GeoJSON source on first use, not with the style.
 */
export const OVERLAYS = {
  'query-area': [
    { id: 'query-area-fill', type: 'fill', source: 'query-area', paint: { 'fill-color': QUERY_COLOR, 'fill-opacity': 0.06 } },
    { id: 'query-area-line', type: 'line', source: 'query-area', paint: { 'line-color': QUERY_COLOR, 'line-width': 2.5, 'line-dasharray': [2, 1] } },
  ],
  // The results of a filter the overview cannot show (land status, area, text), below zoom 14.
  'filter-hits': [
    { id: 'filter-hits', type: 'circle', source: 'filter-hits', maxzoom: PARCEL_MIN_ZOOM,
      paint: { 'circle-radius': perFeature(4.5), 'circle-color': colorExpr(state.colorBy), 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.2, 'circle-opacity': 0.95 } },
  ],
  'query-hits': [
    { id: 'query-hits', type: 'circle', source: 'query-hits', maxzoom: PARCEL_MIN_ZOOM,
      paint: { 'circle-radius': perFeature(4), 'circle-color': perFeature(QUERY_COLOR), 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.2, 'circle-opacity': 0.95 } },
  ],
};

/** dataLayers lists every OneMap layer in drawing order (bottom first). */
export function dataLayers() {
  return [
    ...referenceLayers(),
    ...['forest', 'water', 'land', 'mine', 'building'].flatMap(kindLayers),
  ];
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * applyLayerState brings visibility, colouring, client filters and selection up to date. It sets
 * only what changed: every setFilter or data-driven paint change makes MapLibre lay out the
 * loaded tiles again.
 */
export function applyLayerState(map) {
  // The filter marks take the map's colouring (mode or stage), as the parcels do.
  if (map.getLayer('filter-hits') && !same(map.getPaintProperty('filter-hits', 'circle-color'), colorExpr(state.colorBy))) {
    map.setPaintProperty('filter-hits', 'circle-color', colorExpr(state.colorBy));
  }
  for (const layer of dataLayers()) {
    if (!map.getLayer(layer.id)) continue;
    const vis = layer.layout?.visibility ?? 'visible';
    if ((map.getLayoutProperty(layer.id, 'visibility') ?? 'visible') !== vis) map.setLayoutProperty(layer.id, 'visibility', vis);
    if (layer.filter && !same(map.getFilter(layer.id), layer.filter)) map.setFilter(layer.id, layer.filter);
    for (const [k, v] of Object.entries(layer.paint)) {
      if (k.endsWith('-color') && !same(map.getPaintProperty(layer.id, k), v)) map.setPaintProperty(layer.id, k, v);
    }
  }
}
