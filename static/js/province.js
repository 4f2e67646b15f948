// A province of cities (issue 15): where the leader view stands in province → city → county, and
// the map's low zooms, which show each city with its outline, name and totals. A deployment of one
// city (config.city.level "city", or fewer than two cities among the regions) keeps its counties.
import { h } from './dom.js';
import { t, num } from './i18n.js';
import { state } from './state.js';
import { api, latest } from './api.js';

/** CITY_MAX_ZOOM is the zoom below which a province's map shows cities rather than counties. */
export const CITY_MAX_ZOOM = 8.5;

const isCounty = (r) => !r.level || r.level === 'county';
const cityPrefix = (code) => code.slice(0, 4);

/** countiesOf lists the regions an asset can lie in (counties), of one city when city is given. */
export function countiesOf(regions, city) {
  return regions.filter((r) => isCounty(r) && (!city || cityPrefix(r.code) === cityPrefix(city.code)));
}

/** citiesOf lists a province's cities: none for a deployment of one city. */
export function citiesOf(regions, deployment) {
  const cities = regions.filter((r) => r.level === 'city');
  return deployment?.level === 'province' && cities.length >= 2 ? cities : [];
}

/**
 * drill tells where the leader view stands for the map's region filter: the level its rows are
 * at (city or county), the city drilled into, the county picked, the statistics that give the
 * rows (group and region filter) and the breadcrumb (province › city › county).
 */
export function drill(regions, deployment, region) {
  const code = region.length === 1 ? region[0] : null;
  const picked = code ? regions.find((r) => r.code === code) || { code, name: code, level: 'county' } : null;
  const cities = citiesOf(regions, deployment);
  if (!cities.length) {
    return { rowLevel: 'county', city: null, county: picked, group: 'region', region: [], crumbs: [], rows: countiesOf(regions) };
  }
  const city = picked?.level === 'city' ? picked : picked ? cities.find((c) => cityPrefix(c.code) === cityPrefix(picked.code)) : null;
  const top = { code: null, name: deployment.name };
  if (!city) return { rowLevel: 'city', city: null, county: null, group: 'city', region: [], crumbs: [top], rows: cities };
  const county = picked.level === 'city' ? null : picked;
  return { rowLevel: 'county', city, county, group: 'region', region: [city.code], crumbs: [top, city, county].filter(Boolean), rows: countiesOf(regions, city) };
}

/** asRegionGroups names stats groups by city as region groups (region_code, region_name). */
export const asRegionGroups = (groups) => groups.map((g) => (g.city_code !== undefined ? { ...g, region_code: g.city_code, region_name: g.city_name } : g));

/**
 * tileRegions expands a region filter for the tiles, which match a county's code only: a city or
 * a province stands for itself (its outline) and its counties.
 */
export function tileRegions(regions) {
  return (codes) => codes.flatMap((c) => {
    const r = regions.find((x) => x.code === c);
    if (!r || isCounty(r)) return [c];
    const prefix = r.level === 'city' ? cityPrefix(c) : c.slice(0, 2);
    return [c, ...regions.filter((x) => x.code !== c && x.code.startsWith(prefix)).map((x) => x.code)];
  });
}

/**
 * CityLevel draws a province's cities at low zooms: a strong outline and, on each city's label,
 * its totals under the map's filters (assets and idle 亩, from /api/v1/stats?group_by=city,stage,
 * so they equal the API). Above CITY_MAX_ZOOM the county labels take over. Clicking a city's
 * label calls onPick(code) (the map and the leader view drill down to its counties).
 */
export class CityLevel {
  constructor(map, regions, deployment, labels, onPick) {
    this.map = map;
    this.cities = citiesOf(regions, deployment);
    this.totals = new Map();
    this.fetch = latest((signal) => api.stats('city,stage', { ...state.filters, stage: [], region: [] }, { signal }));
    if (!this.cities.length) return;
    this.syncLabels = labels(this.cities);
    for (const c of this.cities) {
      const el = document.querySelector(`.region-label[data-region="${c.code}"]`);
      if (!el) continue;
      el.classList.add('city-label');
      el.title = t('dash.clickHint.city');
      // The label's own click: the map's would zoom into the cell under it.
      for (const type of ['mousedown', 'mouseup', 'touchstart', 'touchend']) el.addEventListener(type, (e) => e.stopPropagation());
      el.addEventListener('click', (e) => { e.stopPropagation(); onPick(c.code); });
    }
    map.addLayer({ id: 'city-line', type: 'line', source: 'onemap', 'source-layer': 'region', filter: ['==', ['get', 'level'], 'city'],
      layout: { visibility: state.layers.has('region') ? 'visible' : 'none' },
      paint: { 'line-color': '#1c3faa', 'line-width': ['interpolate', ['linear'], ['zoom'], 6, 2.5, 11, 3.5], 'line-opacity': 0.9 } });
    map.on('zoom', () => this.zoomClass());
    this.zoomClass();
  }

  /** zoomClass tells the CSS whether cities or counties are labelled. */
  zoomClass() {
    this.map.getContainer().classList.toggle('city-zoom', this.map.getZoom() < CITY_MAX_ZOOM);
  }

  /** sync shows or hides the outlines and labels with the region layer. */
  sync() {
    if (!this.cities.length) return;
    this.map.setLayoutProperty('city-line', 'visibility', state.layers.has('region') ? 'visible' : 'none');
    this.syncLabels();
  }

  /** load re-counts each city under the current filters and writes the totals on its label. */
  async load() {
    if (!this.cities.length) return;
    try {
      const r = await this.fetch();
      if (!r) return;
      this.totals = new Map();
      for (const g of r.groups) {
        const c = this.totals.get(g.city_code) || { count: 0, idle: 0 };
        c.count += Number(g.count) || 0;
        if (g.stage === 'idle') c.idle += Number(g.area_mu) || 0;
        this.totals.set(g.city_code, c);
      }
    } catch {
      this.totals = new Map();
    }
    this.render();
  }

  render() {
    for (const c of this.cities) {
      const el = document.querySelector(`.city-label[data-region="${c.code}"]`);
      if (!el) continue;
      const v = this.totals.get(c.code) || { count: 0, idle: 0 };
      let box = el.querySelector('.city-total');
      if (!box) { box = h('span', { class: 'city-total' }); el.querySelector('.region-name').after(box); }
      box.textContent = t('city.totals', { n: num(v.count, 0), idle: num(v.idle, 0) });
    }
  }
}
