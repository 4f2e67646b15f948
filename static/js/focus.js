// What the map does when filters or a search are applied: it frames the matching assets (the
// list API's bbox of every match), flies to a search's one result and opens it, and — below the
// parcel zoom, where land is drawn as overview cells that cannot tell land status, area or text —
// marks each result by a point on it (the same list request a spatial query marks its results
// with: MARKS). Spatial queries mark their own results; while one is open this draws nothing.
import { api, latest, MARKS } from './api.js';
import { state, OVERVIEW_FILTERS, activeFilterCount } from './state.js';
import { showFilterHits, framePadding } from './map.js';

/** overviewShows tells whether the low-zoom overview can show what the filters select. */
export function overviewShows(f = state.filters) {
  return Object.keys(f).every((k) => OVERVIEW_FILTERS.includes(k) || !f[k]?.length);
}

/** FilterFocus keeps the filter marks and frames the results of a filter or search. */
export class FilterFocus {
  constructor(map, { spatial, openAsset }) {
    this.map = map;
    this.spatial = spatial; // () => true while a zone query or drawn area is open
    this.openAsset = openAsset;
    this.fetch = latest((signal, marks) => api.assets(state.filters, marks ? MARKS : { limit: 1, properties: 'id' }, { signal }));
    this.total = null; // the filters' result count (null while a spatial query is open)
  }

  /** apply re-marks the results of the current filters; frame also moves the map to them. */
  async apply({ frame = false } = {}) {
    const marks = !overviewShows() && !this.spatial();
    if (!marks) showFilterHits(this.map, null);
    if (this.spatial() || (!marks && !frame) || !activeFilterCount()) {
      this.total = null;
      return;
    }
    let res;
    try {
      res = await this.fetch(marks);
    } catch {
      return; // the list shows the error
    }
    if (!res) return; // a newer change took over
    if (this.spatial()) { showFilterHits(this.map, null); return; }
    const features = res.features || null;
    this.total = features ? res.numberMatched : res.total;
    if (marks) showFilterHits(this.map, features);
    if (frame) this.frame(res, features);
  }

  frame(res, features) {
    const first = features ? features[0]?.id : res.items?.[0]?.id;
    if (this.total === 1 && first != null && state.filters.q) {
      this.openAsset(first, { fly: true });
      return;
    }
    const b = res.bbox;
    if (!b || !this.total) return;
    if (b[0] === b[2] && b[1] === b[3]) this.map.flyTo({ center: [b[0], b[1]], zoom: 16, padding: framePadding() });
    else this.map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: framePadding(), maxZoom: 17, duration: 800 });
  }
}
