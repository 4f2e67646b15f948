// OneMap's browser UI: boots the map as fast as it can (config and TileJSON only), then wires the
// panels, the result list, the leader view and the URL.
import { api, tileURL, setDataVersion, setTileRegions } from './api.js';
import { Live, reloadResults, patchResults } from './live.js';
import { $, $$, h, toast, tablist } from './dom.js';
import { setLang, getLang, t, applyI18n, setPlace } from './i18n.js';
import { state, on, emit, readHash, writeHash, isOwnHash } from './state.js';
import { createMap, refreshTiles, refresh, addRegionLabels, wireInteraction, flyToGeometry } from './map.js';
import { chooseBasemap, setBasemap } from './basemap.js';
import { Legend } from './legend.js';
import { Density } from './density.js';
import { FilterPanel } from './filters.js';
import { QueryPanel } from './query.js';
import { Results } from './results.js';
import { Panel } from './panel.js';
import { FilterFocus } from './focus.js';
import { Dashboard, selectCounty, frameCounty } from './dashboard.js';
import { Session } from './auth.js';
import { signInFirst } from './gate.js';
import { Choropleth } from './choropleth.js';
import { parcelLabels } from './parcel-labels.js';
import { wirePhone, PHONE } from './phone.js';
import { ProjectsPanel } from './projects.js';
import { ChecksPanel } from './checks.js';
import { CityLevel, countiesOf, citiesOf, tileRegions } from './province.js';
import { Warnings } from './warnings.js';
import { lineageBlock } from './edit/lineage.js';
import { QueryStats } from './tools/querystats.js';
import { LocateTool } from './tools/locate.js';
import { OfflinePackage } from './tools/offline.js';
import { MAP_TOOLS, LazyTool, NewAssetButton, mapTools, areal, once, panelButton } from './tools/registry.js';

const ui = {};

function filterSource() {
  return {
    type: 'filter', title: t('results.filter'), get filters() { return state.filters; },
    fetchPage: (offset, limit, sort) => api.assets(state.filters, { offset, limit, sort }),
  };
}

function setupTopbar(config) {
  const select = $('#basemap');
  const list = chooseBasemap(config);
  select.replaceChildren(...list.map((b) => h('option', { value: b.id, selected: state.basemap === b.id }, t(`basemap.${b.id}`))));
  select.disabled = list.length < 2;
  select.onchange = () => { state.basemap = select.value; emit('basemap'); };
  $('#lang').onclick = () => {
    const next = getLang() === 'zh' ? 'en' : 'zh';
    localStorage.setItem('onemap.lang', next);
    setLang(next);
    emit('lang');
  };
  $('#share').onclick = async () => {
    writeHash();
    try {
      await navigator.clipboard.writeText(location.href);
      toast(t('share.done'));
    } catch {
      window.prompt(t('share'), location.href);
    }
  };
  for (const btn of $$('[data-route]')) btn.onclick = () => { state.route = btn.dataset.route; emit('route'); };
}

function setupTabs() {
  tablist($$('[role="tab"]', $('#sidebar')));
}

function applyRoute() {
  const dash = state.route === 'dashboard';
  document.body.classList.toggle('route-dashboard', dash);
  $('#dashboard').hidden = !dash;
  $('#kpis').hidden = !dash;
  $('#sidebar').hidden = dash;
  for (const btn of $$('[data-route]')) btn.setAttribute('aria-current', btn.dataset.route === state.route ? 'page' : 'false');
  ui.map.resize();
  if (ui.map.getLayer('background')) refresh(ui.map);
  if (dash) {
    // The leader view frames the chosen county, or the whole city.
    frameCounty(ui.map, ui.regions, state.filters.region.length === 1 ? state.filters.region[0] : null, 0);
    ui.dashboard.load().then(() => ui.dashboard.resize());
  }
}

/** editTools are the asset panel's 分割 and 合并 buttons for a; each tool's module loads on its first press. */
function editTools(map) {
  const split = once(async () => new (await import('./edit/split.js')).SplitTool(map, { onDone: (kids) => openAsset(kids[0].id, { fly: true }) }));
  const merge = once(async () => new (await import('./edit/merge.js')).MergeTool(map, { onDone: (a) => openAsset(a.id, { fly: true }) }));
  return (a) => (areal(a) ? [
    panelButton('split-start', 'split.button', async () => (await split()).start(a)),
    panelButton('merge-start', 'merge.button', async () => (await merge()).start(a)),
  ] : []);
}

/** reshapeTool loads edit/reshape.js on first use and runs fn with it. */
const reshapeTool = (fn) => import('./edit/reshape.js').then(fn);

/** setupMapTools puts the map's tool group up, the tools themselves unloaded (tools/registry.js). */
function setupMapTools(map) {
  const ctx = { map, session: ui.session, results: ui.results, legend: ui.legend, query: ui.query, openAsset };
  ui.tools = Object.fromEntries(MAP_TOOLS.map((spec) => [spec.name, new LazyTool(spec, ctx)]));
  mapTools(map).append(...Object.values(ui.tools).flatMap((tool) => tool.btns));
  ui.tools.print.btns[0].before(ui.locate.button()); // 定位 is loaded at once: the pointer readout is always on
  // 离线包 (loaded at once, last in the group): a file input that a test or a person fills at any time.
  ui.offline = new OfflinePackage(map, { onOpen: () => refreshTiles(map) });
  const render = () => { for (const tool of Object.values(ui.tools)) tool.render(); ui.offline.render(); };
  on('session', render);
  on('lang', render);
}

function renderAll() {
  applyI18n(document);
  setupTopbar(ui.config);
  ui.session.render();
  ui.legend.render();
  ui.filters.sync();
  ui.query.render();
  ui.results.source = ui.results.source?.type === 'filter' ? filterSource() : ui.results.source;
  ui.results.render();
  ui.panel.render();
  ui.projects.render();
  ui.newAsset.render();
  ui.checks.render();
  ui.choro.render();
  ui.choro.renderLabels();
  ui.cityLevel.render();
  if (state.route === 'dashboard') ui.dashboard.render();
}

function wireState(map) {
  let lastTiles = tileURL(state.filters);
  on('filters', (opts) => {
    const url = tileURL(state.filters);
    if (url !== lastTiles) { lastTiles = url; refreshTiles(map); }
    refresh(map);
    ui.filters.sync();
    ui.legend.load();
    // An open zone query or drawn area runs again under the filters; else the filter list.
    if (ui.results.source?.type === 'filter') ui.results.load(); else ui.query.rerun();
    ui.focus.apply({ frame: opts?.frame !== false && state.route === 'map' });
    if (state.route === 'dashboard') ui.dashboard.load();
    ui.choro.load();
    ui.cityLevel.load();
    ui.density.load();
  });
  on('layers', () => { refresh(map); ui.syncLabels(); ui.choro.draw(); });
  on('colorBy', () => { refresh(map); ui.legend.load(); });
  on('selected', () => refresh(map));
  on('query', () => { refresh(map); ui.focus.apply(); });
  on('query-cleared', () => { refresh(map); ui.results.show(filterSource()); ui.focus.apply(); });
  on('basemap', () => { setBasemap(map, state.basemap); $('#basemap').value = state.basemap; });
  on('route', applyRoute);
  on('lang', renderAll);
  on('session', () => { ui.results.render(); ui.panel.render(); ui.projects.render(); ui.newAsset.render(); ui.checks.render(); });
  map.on('moveend', () => {
    const c = map.getCenter();
    state.center = [c.lng, c.lat];
    state.zoom = map.getZoom();
    writeHash();
  });
  window.addEventListener('hashchange', () => {
    if (isOwnHash()) return;
    const query = () => JSON.stringify([state.zoneQuery, state.drawn]);
    const before = { route: state.route, filters: JSON.stringify(state.filters), query: query() };
    readHash();
    if (state.center) map.jumpTo({ center: state.center, zoom: state.zoom ?? map.getZoom() });
    chooseBasemap(ui.config);
    setBasemap(map, state.basemap);
    $('#basemap').value = state.basemap;
    ui.density.load();
    if (before.route !== state.route) applyRoute();
    if (before.filters !== JSON.stringify(state.filters)) emit('filters', { frame: false }); else refresh(map);
    // A pasted link with another zone or drawn query runs it, as on load.
    if (before.query !== query()) {
      if (state.zoneQuery) ui.query.zoneQuery(state.zoneQuery);
      else if (state.drawn) ui.query.drawQuery(state.drawn);
      else ui.query.clear();
    }
  });
}

/** afterTiles runs fn once the map has drawn its new tiles, or after 1.5 s, whichever comes first. */
function afterTiles(map, fn) {
  let done = false;
  const run = () => { if (!done) { done = true; fn(); } };
  map.once('idle', run);
  setTimeout(run, 1500);
}

async function openAsset(id, { fly } = {}) {
  await ui.panel.open(id);
  if (ui.projects.project) ui.projects.render(); // its card offers to add the selected asset
  if (fly && ui.panel.asset?.geometry) flyToGeometry(ui.map, ui.panel.asset.geometry);
}

/** openProject shows project id in the 项目 tab (on a phone the asset's sheet gives way to it). */
function openProject(id) {
  if (PHONE.matches) ui.panel.close();
  $('#tab-projects').click();
  ui.projects.select(id);
}

async function boot() {
  // The tile worker starts while the config and TileJSON are on their way.
  maplibregl.prewarm();
  readHash();
  setLang(localStorage.getItem('onemap.lang') || (new URLSearchParams(location.search).get('lang')) || 'zh');
  const [config, tilejson] = await Promise.all([
    api.config().catch((e) => (e.status === 401 ? null : {})),
    api.tilejson().catch(() => null),
  ]);
  if (config === null) { signInFirst(); return; } // no anonymous reads here: sign in first
  setPlace(config.city?.name);
  applyI18n(document);
  const lists = Promise.all([api.regions().catch(() => []), api.zones().catch(() => [])]);
  // Tile URLs carry the data version (immutable tiles); live.js follows it.
  const version = Math.max(config.data_version || 0, tilejson?.data_version || 0);
  setDataVersion(version);
  ui.config = config;
  ui.session = new Session($('#session'));
  ui.session.render();
  ui.session.check();
  setupTopbar(config);
  setupTabs();
  const map = await createMap($('#map'), { config, tilejson });
  ui.map = map;
  window.__map = map;
  window.__mapLoadedAt = performance.now();
  map.once('idle', () => { window.__mapIdleAt = performance.now(); });
  $('#map-loading').remove();
  setBasemap(map, state.basemap);

  const [regions, zones] = await lists;
  ui.regions = regions;
  // A city's or a province's code stands for its counties in the tiles' region filter.
  setTileRegions(tileRegions(regions));
  if (state.filters.region.length) refreshTiles(map);
  const syncCounties = addRegionLabels(map, countiesOf(regions));
  // A province of cities: city outlines, names and totals at low zooms.
  ui.cityLevel = new CityLevel(map, regions, config.city, (cities) => addRegionLabels(map, cities), (code) => selectCounty(map, regions, code));
  ui.syncLabels = () => { syncCounties(); ui.cityLevel.sync(); };
  ui.legend = new Legend($('#layers-panel'), $('#legend'));
  ui.filters = new FilterPanel($('#filters-panel'), { regions, zones });
  ui.queryStats = new QueryStats();
  ui.results = new Results($('#results'), {
    aside: (src, loading) => ui.queryStats.block(src, loading),
    onRow: (a) => openAsset(a.id, { fly: true }),
    onClose: () => ui.query.clear(),
    session: ui.session,
    onItems: (items) => { state.hits = items.slice(0, 5000).map((a) => a.id); refresh(map); },
  });
  ui.query = new QueryPanel($('#query-panel'), { map, zones, regions, results: ui.results });
  ui.focus = new FilterFocus(map, { spatial: () => Boolean(state.zoneQuery) || ui.results.source?.type === 'draw', openAsset });
  ui.panel = new Panel($('#panel'), { onZoom: (g) => flyToGeometry(map, g), session: ui.session, onEdited: (a) => patchResults(ui.results, a),
    onProject: (id) => openProject(id),
    onReshape: (a) => {
      if (PHONE.matches) ui.panel.close(); // the sheet would cover the shape
      reshapeTool((m) => m.reshape(map, a, (saved) => { patchResults(ui.results, saved); openAsset(saved.id); }));
    },
    onOutline: (g) => { reshapeTool((m) => m.showOutline(map, g)); flyToGeometry(map, g); },
    tools: editTools(map),
    lineage: (a) => lineageBlock(a, (id) => openAsset(id, { fly: true })) });
  ui.newAsset = new NewAssetButton(map, { session: ui.session, onStart: () => ui.panel.close(), onCreated: (a) => openAsset(a.id) });
  ui.projects = new ProjectsPanel($('#projects-panel'), { map, session: ui.session, openAsset, hits: () => state.hits, selected: () => ui.panel.asset });
  // Loaded when the tab is first opened: the first paint does not wait for the 台账.
  $('#tab-projects').addEventListener('click', () => ui.projects.init());
  ui.checks = new ChecksPanel($('#checks-panel'), { map, session: ui.session, openAsset });
  $('#tab-checks').addEventListener('click', () => ui.checks.init());
  ui.dashboard = new Dashboard($('#dashboard'), $('#kpis'), { regions, deployment: config.city, onCounty: (code) => selectCounty(map, regions, code) });
  // 闲置土地在哪: the leader's one click — counties by share idle, idle land only, the whole city.
  ui.choro = new Choropleth(map, $('#choro'), { cities: citiesOf(regions, config.city), onIdleLand: () => {
    state.filters.stage = ['idle'];
    emit('filters');
    ui.choro.set('idle_share').then(() => writeHash());
    frameCounty(map, regions, null);
  } });
  ui.choro.render();
  ui.choro.load();
  ui.cityLevel.load();
  parcelLabels(map);
  wirePhone(map);
  wireState(map);
  // Every committed write, here or on another page, shows at once: tiles, list, legend, panel.
  // The tiles go first; the list, legend and panel follow once they are in (or after 1.5 s), so
  // that their requests do not queue before the tiles'.
  ui.live = new Live(version, (v) => {
    setDataVersion(v);
    refreshTiles(map);
    afterTiles(map, () => {
      reloadResults(ui.results);
      ui.legend.load();
      ui.focus.apply({ frame: false });
      ui.choro.load();
      ui.cityLevel.load();
      ui.density.load();
      ui.panel.refresh();
      ui.projects.refresh();
      if (state.route === 'dashboard') ui.dashboard.load();
    });
  });
  ui.live.start();
  window.__live = ui.live;
  // 预警: the badge and list in the user's scope, and the layer, follow the stream's "warnings".
  ui.warnings = new Warnings(map, { button: $('#warnings-btn'), onAsset: (id) => openAsset(id, { fly: true }) });
  // 定位 (issue 13), with the pointer's coordinates in the map's corner; then the tool group: 属性表,
  // 导入, 书签, 历史对比, 测距, 测面, 定位, 打印 (a 专题图: PDF through the server, PNG here), 打开离线包.
  ui.locate = new LocateTool(map, { onAsset: (id) => openAsset(id) });
  setupMapTools(map);
  ui.warnings.onChange = () => ui.legend.render();
  ui.legend.extras.push(() => ui.warnings.layerToggle());
  // 闲置土地密度: hexagons of idle and approved-unsupplied 亩 at city zooms, switched on in the layers panel.
  ui.density = new Density(map, { onChange: () => ui.legend.render() });
  ui.legend.extras.push(() => ui.density.layerToggle());
  ui.density.load();
  ui.warnings.listen(ui.live.source);
  ui.warnings.load();
  on('session', () => ui.warnings.load());
  on('lang', () => ui.warnings.load());
  const zonePopup = new maplibregl.Popup({ className: 'om-zone', maxWidth: '300px' });
  wireInteraction(map, (id) => openAsset(id), (zone, lngLat) => {
    const run = (preset) => () => { zonePopup.remove(); ui.query.zoneQuery({ code: zone.code, preset, min_area_mu: '' }); };
    zonePopup.setLngLat(lngLat).setDOMContent(h('div', { class: 'zone-pop' },
      h('strong', {}, zone.name || zone.code),
      h('div', { class: 'btn-row' },
        h('button', { type: 'button', class: 'btn btn-primary btn-small', 'data-zone-query': 'idle', onclick: run('idle') }, t('query.zone.idle')),
        h('button', { type: 'button', class: 'btn btn-small', onclick: run('all') }, t('query.zone.all'))))).addTo(map);
  });
  window.addEventListener('resize', () => ui.dashboard.resize());
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !$('#panel').hidden) ui.panel.close();
  });

  ui.legend.render();
  ui.legend.load();
  ui.filters.sync();
  ui.query.render();
  if (state.zoneQuery) {
    ui.query.zoneQuery(state.zoneQuery);
  } else if (state.drawn) {
    ui.query.drawQuery(state.drawn);
  } else {
    ui.results.show(filterSource());
  }
  // On a phone the panel covers the lower part of the map: bring the linked asset above it.
  if (state.selected) openAsset(state.selected, { fly: PHONE.matches });
  ui.focus.apply();
  applyRoute();
  writeHash();
  document.body.classList.add('ready');
}

boot().catch((e) => {
  console.error(e); // eslint-disable-line no-console
  document.body.append(h('div', { class: 'fatal', role: 'alert' }, `${t('err.load')}：${e.message}`));
});

