// The offline one map (issue 14 item 6): a page opened from disk, with no server, that draws a
// .pmtiles package the user picks (file input or drag and drop) with the online map's own layers
// (layers.js: the same colours by 盘活方式 or 盘活阶段, county and zone outlines) and words
// (i18n.js), the package's export time and region, and its totals (宗 and 亩 by stage and by mode,
// counted at export time into the package's metadata: there is no server to ask). internal/offline
// bundles this module and its imports into the kit's viewer.js, one classic script.
import { dataLayers, applyLayerState, colorsFor, valuesFor, featureId, ASSET_LAYER_IDS } from '../js/layers.js';
import { state } from '../js/state.js';
import { h, $ } from '../js/dom.js';
import { t, label, num, mu, setLang, getLang, addWords, dateTime } from '../js/i18n.js';

addWords('zh', {
  'kit.title': '国有“三资”一张图', 'kit.badge': '离线地图', 'kit.pick': '选择离线包', 'kit.lang': 'English',
  'kit.welcome': '打开离线地图', 'kit.hint': '无需网络和服务器：点击“选择离线包”或把离线包（.pmtiles）拖到这里。',
  'kit.file': '本文件夹中的离线包：{name}', 'kit.failed': '无法打开 {name}：{error}',
  'kit.exported': '导出时间', 'kit.area': '范围', 'kit.zooms': '级别', 'kit.package': '离线包',
  'kit.props.hint': '点击地图上的资产查看其信息', 'kit.props': '选中要素', 'kit.region': '行政区划代码',
});
addWords('en', {
  'kit.title': 'State assets one map', 'kit.badge': 'Offline map', 'kit.pick': 'Choose package', 'kit.lang': '中文',
  'kit.welcome': 'Open the offline map', 'kit.hint': 'No network or server needed: click “Choose package” or drop an offline package (.pmtiles) here.',
  'kit.file': 'The package in this folder: {name}', 'kit.failed': 'Cannot open {name}: {error}',
  'kit.exported': 'Exported', 'kit.area': 'Area', 'kit.zooms': 'Zooms', 'kit.package': 'Package',
  'kit.props.hint': 'Click an asset on the map to see its facts', 'kit.props': 'Selected feature', 'kit.region': 'Region code',
});

/** view is what the page shows: the open package (name, header, metadata) and the selection. */
const view = { name: '', header: null, meta: null, picked: null, map: null, protocol: null };

/** render redraws every word of the page in the current language. */
function render() {
  document.title = `${t('kit.title')} · ${t('kit.badge')}`;
  $('#title').textContent = t('kit.title');
  $('#badge').textContent = t('kit.badge');
  $('#pick-text').textContent = t('kit.pick');
  $('#lang').textContent = t('kit.lang');
  $('#welcome-title').textContent = t('kit.welcome');
  $('#welcome-text').textContent = t('kit.hint');
  $('#welcome-file').textContent = window.ONEMAP_KIT?.package ? t('kit.file', { name: window.ONEMAP_KIT.package }) : '';
  if (!view.meta) return;
  renderAbout();
  renderColour();
  renderLegend();
  renderProps();
}

/** named gives a region's or zone's name and code, from the package's metadata ('regions', 'zones'). */
const named = (group, code) => {
  const name = view.meta.names?.[group]?.[code];
  return name ? `${name}（${code}）` : code;
};

/** bbox says a package's extent in degrees (CGCS2000, as the map's coordinates). */
const bbox = (hd) => `${num(hd.minLon, 3)}–${num(hd.maxLon, 3)}°E, ${num(hd.minLat, 3)}–${num(hd.maxLat, 3)}°N`;

function renderAbout() {
  const { header: hd, meta } = view;
  const rows = [
    ['kit.package', view.name],
    ['kit.exported', dateTime(meta.exported_at)],
    ['kit.area', meta.region ? named('regions', meta.region) : bbox(hd)],
    ['kit.zooms', `${hd.minZoom}–${hd.maxZoom}`],
  ];
  $('#about').replaceChildren(...rows.flatMap(([k, v]) => [h('dt', {}, t(k)), h('dd', { 'data-test': k }, v)]));
}

function renderColour() {
  $('#colour').replaceChildren(...['mode', 'stage'].map((by) => h('label', {},
    h('input', { type: 'radio', name: 'colour', value: by, checked: state.colorBy === by,
      onchange: () => { state.colorBy = by; applyLayerState(view.map); render(); } }),
    t(`colorBy.${by}`))));
}

/** renderLegend lists each mode or stage with its colour and the package's totals (宗, 亩). */
function renderLegend() {
  const by = state.colorBy;
  const totals = view.meta.totals || {};
  const groups = totals[by] || {};
  const row = (v) => h('tr', { 'data-value': v },
    h('td', {}, h('span', { class: 'swatch', style: `background:${colorsFor(by)[v]}` }), label(by === 'mode' ? 'mode.long' : by, v)),
    h('td', { class: 'n', 'data-test': 'count' }, `${num(groups[v]?.count || 0, 0)} ${t('unit.count')}`),
    h('td', { class: 'n', 'data-test': 'area' }, mu(groups[v]?.area_mu || 0, 0)));
  $('#legend').replaceChildren(
    h('h3', {}, `${t('legend')} · ${t(by)}`),
    h('table', {}, valuesFor(by).map(row),
      h('tr', { class: 'total', 'data-value': 'total' }, h('td', {}, t('legend.total')),
        h('td', { class: 'n', 'data-test': 'count' }, `${num(totals.count || 0, 0)} ${t('unit.count')}`),
        h('td', { class: 'n', 'data-test': 'area' }, mu(totals.area_mu || 0, 0)))),
    h('p', {}, h('small', {}, `${t('cells.legend')} · ${t('cells.hint')}`)));
}

/** factsOf lists a clicked feature's facts as [label, value] pairs. */
function factsOf(f) {
  const p = f.properties;
  if (f.sourceLayer === 'region' || f.sourceLayer === 'zone') {
    return [[t(`layer.${f.sourceLayer}`), p.name], [t('kit.region'), p.code], [t('f.area'), mu(p.area_mu, 0)]];
  }
  if (p.count != null && p.id == null) {
    return [[label('kind', f.sourceLayer), t('aggregate', { n: num(p.count, 0) })], ['', t('aggregate.hint')]];
  }
  return [
    ['f.code', p.code], ['f.name', p.name], ['f.kind', label('kind', p.kind || f.sourceLayer)],
    ['f.area', mu(p.area_mu)], ['f.stage', label('stage', p.stage)], ['f.mode', label('mode.long', p.mode)],
    ['f.land_status', p.land_status && label('land_status', p.land_status)],
    ['f.region', p.region_code && named('regions', p.region_code)], ['f.zone', p.zone_code && named('zones', p.zone_code)],
  ].filter(([, v]) => v != null && v !== '').map(([k, v]) => [t(k), v]);
}

function renderProps() {
  const el = $('#props');
  el.dataset.hint = t('kit.props.hint');
  if (!view.picked) { el.replaceChildren(); return; }
  el.replaceChildren(h('h3', {}, t('kit.props')),
    h('table', {}, factsOf(view.picked).map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', { 'data-test': k }, String(v))))));
}

/** showMap draws the package: the map fitted to its bounds, overzooming past its deepest zoom. */
function showMap() {
  const hd = view.header;
  $('#welcome').hidden = true;
  $('#map').hidden = false;
  $('#side').hidden = false;
  view.map?.remove();
  const map = new maplibregl.Map({
    container: 'map',
    style: {
      version: 8,
      sources: { onemap: { type: 'vector', tiles: [`pmtiles://${view.name}/{z}/{x}/{y}`], minzoom: hd.minZoom, maxzoom: hd.maxZoom } },
      layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef1f5' } }, ...dataLayers()],
    },
    bounds: [[hd.minLon, hd.minLat], [hd.maxLon, hd.maxLat]],
    fitBoundsOptions: { padding: 20 },
    attributionControl: false,
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
  map.on('click', (e) => {
    const layers = [...ASSET_LAYER_IDS, 'zone-fill', 'region-fill'].filter((id) => map.getLayer(id));
    view.picked = map.queryRenderedFeatures(e.point, { layers })[0] || null;
    // The online map's own highlight of the selected asset (layers.js).
    state.selected = view.picked && ASSET_LAYER_IDS.includes(view.picked.layer.id) ? featureId(view.picked) : null;
    applyLayerState(map);
    renderProps();
  });
  map.once('load', () => document.body.classList.add('ready'));
  view.map = map;
  window.__map = map; // for tests, as the online map
}

/** open reads a picked package's header and metadata, then shows it. */
async function open(file) {
  if (!file) return;
  $('#welcome-error').textContent = '';
  try {
    const { Protocol, PMTiles, FileSource } = window.pmtiles;
    const pkg = new PMTiles(new FileSource(file));
    const header = await pkg.getHeader(); // throws on a file that is not a PMTiles package
    const meta = await pkg.getMetadata();
    if (!view.protocol) {
      view.protocol = new Protocol();
      maplibregl.addProtocol('pmtiles', view.protocol.tile);
    }
    view.protocol.add(pkg);
    Object.assign(view, { name: file.name, header, meta, picked: null });
    showMap();
    render();
  } catch (err) {
    $('#welcome-error').textContent = t('kit.failed', { name: file.name, error: err.message });
  }
}

function start() {
  setLang('zh');
  $('#pick').addEventListener('change', (e) => { open(e.target.files[0]); e.target.value = ''; });
  $('#lang').addEventListener('click', () => { setLang(getLang() === 'zh' ? 'en' : 'zh'); render(); });
  // Drop anywhere on the page; the browser must not open the file itself instead.
  document.addEventListener('dragover', (e) => { e.preventDefault(); $('#welcome').classList.add('drag'); });
  document.addEventListener('dragleave', () => $('#welcome').classList.remove('drag'));
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    $('#welcome').classList.remove('drag');
    open(e.dataTransfer.files[0]);
  });
  render();
}

start();
