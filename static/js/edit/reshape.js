// 编辑形状: an analyst drags the vertices of the selected parcel's outline on the map (MapLibre
// native: a GeoJSON source for the shape and one for its vertices), each snapping to neighbouring
// parcels' vertices and edges within SNAP_PX (snap.js). Every drag can be undone (Ctrl+Z or 撤销)
// until 保存 sends PATCH /api/v1/assets/{id} with the version the editor started from; overlaps
// the server refuses are highlighted with a confirm-with-reason dialog (overlap.js).
// ShapeEditor is also the drawing tool of draw-asset.js: there clicks place vertices first.
import { h, toast } from '../dom.js';
import { t } from '../i18n.js';
import { state } from '../state.js';
import { api, sendJSON } from '../api.js';
import { snapPoint, loadNeighbours, bboxOf } from './snap.js';
import { confirmOverlap } from './overlap.js';

const SHAPE = 'edit-shape';
const VERTS = 'edit-vertices';
const NEIGH = 'edit-neighbours';
const EDIT_COLOR = '#f08c00';

/** multi returns a geometry's polygons as MultiPolygon coordinates (a deep copy). */
const multi = (g) => structuredClone(g.type === 'Polygon' ? [g.coordinates] : g.coordinates);

/** ShapeEditor edits one outline on the map until save or cancel. */
export class ShapeEditor {
  /**
   * map: the MapLibre map; opts.title labels the bar; opts.onSave(geometry, editor) saves (and may
   * throw an ApiError); opts.onDone(result) runs after a save or cancel (result null).
   */
  constructor(map, { title, onSave, onDone, exceptId = null, kind = 'land' }) {
    Object.assign(this, { map, title, onSave, onDone, exceptId, kind });
    this.polys = [];
    this.draft = null; // vertices of an outline being drawn (draw mode), else null
    this.undoStack = [];
    this.neighbours = [];
    this.handlers = [];
  }

  /** edit starts editing geometry g (Polygon or MultiPolygon). */
  async edit(g) {
    this.polys = multi(g);
    await this.setup(bboxOf(g));
    this.render();
  }

  /** draw starts drawing a new outline around the map's centre: clicks place vertices. */
  async draw() {
    this.draft = [];
    const b = this.map.getBounds();
    await this.setup([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], 0);
    this.listen('click', null, (e) => this.place(e));
    this.render();
  }

  async setup(bbox, pad) {
    state.drawing = true; // map clicks no longer open assets (map.js)
    this.map.doubleClickZoom.disable();
    document.body.classList.add('shape-editing');
    this.addLayers();
    this.bar = h('div', { class: 'edit-bar', 'data-test': 'edit-bar', role: 'toolbar', 'aria-label': this.title });
    this.map.getContainer().append(this.bar);
    this.listen('mousedown', VERTS, (e) => this.grab(e));
    this.listen('touchstart', VERTS, (e) => this.grab(e));
    this.keys = (e) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') { e.preventDefault(); this.undo(); }
      if (e.key === 'Escape') { e.stopPropagation(); this.cancel(); }
    };
    document.addEventListener('keydown', this.keys, true);
    try {
      this.neighbours = await loadNeighbours(bbox, this.exceptId, pad);
    } catch { this.neighbours = []; }
    this.map.getSource(NEIGH)?.setData({ type: 'FeatureCollection', features: this.neighbours });
  }

  listen(type, layer, fn) {
    if (layer) this.map.on(type, layer, fn); else this.map.on(type, fn);
    this.handlers.push([type, layer, fn]);
  }

  addLayers() {
    const empty = { type: 'FeatureCollection', features: [] };
    for (const id of [NEIGH, SHAPE, VERTS]) if (!this.map.getSource(id)) this.map.addSource(id, { type: 'geojson', data: empty });
    this.map.addLayer({ id: `${NEIGH}-line`, type: 'line', source: NEIGH, paint: { 'line-color': '#1971c2', 'line-width': 1, 'line-opacity': 0.6 } });
    this.map.addLayer({ id: `${SHAPE}-fill`, type: 'fill', source: SHAPE, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': EDIT_COLOR, 'fill-opacity': 0.2 } });
    this.map.addLayer({ id: `${SHAPE}-line`, type: 'line', source: SHAPE, paint: { 'line-color': EDIT_COLOR, 'line-width': 2.5 } });
    this.map.addLayer({ id: VERTS, type: 'circle', source: VERTS, paint: {
      'circle-radius': 6, 'circle-color': '#ffffff', 'circle-stroke-color': EDIT_COLOR, 'circle-stroke-width': 2.5 } });
  }

  /** geometry is the outline being edited as GeoJSON (a MultiPolygon; null while drawing). */
  geometry() { return this.draft ? null : { type: 'MultiPolygon', coordinates: this.polys }; }

  /** vertices lists each editable vertex (the closing repeat left out) with its place. */
  vertices() {
    if (this.draft) return this.draft.map((c, i) => ({ c, at: [-1, -1, i] }));
    return this.polys.flatMap((poly, p) => poly.flatMap((ring, r) => ring.slice(0, -1).map((c, i) => ({ c, at: [p, r, i] }))));
  }

  render() {
    const shape = this.draft
      ? (this.draft.length > 1 ? [{ type: 'Feature', geometry: { type: 'LineString', coordinates: this.draft }, properties: {} }] : [])
      : [{ type: 'Feature', geometry: this.geometry(), properties: {} }];
    this.map.getSource(SHAPE)?.setData({ type: 'FeatureCollection', features: shape });
    this.map.getSource(VERTS)?.setData({ type: 'FeatureCollection', features: this.vertices().map((v) => (
      { type: 'Feature', geometry: { type: 'Point', coordinates: v.c }, properties: { at: v.at.join(',') } })) });
    this.renderBar();
  }

  renderBar() {
    const btn = (test, text, onclick, primary = false, disabled = false) => h('button', {
      type: 'button', class: `btn btn-small${primary ? ' btn-primary' : ''}`, 'data-test': test, disabled, onclick }, text);
    this.bar.replaceChildren(
      h('strong', {}, this.title),
      h('span', { class: 'muted edit-hint' }, t(this.draft ? 'edit.shape.drawHint' : 'edit.shape.hint')),
      h('div', { class: 'btn-row' },
        this.draft ? btn('edit-finish', t('edit.shape.finish'), () => this.finish(), true, this.draft.length < 3) : null,
        btn('edit-undo', t('edit.shape.undo'), () => this.undo(), false, !this.undoStack.length),
        this.draft ? null : btn('edit-save-shape', t('edit.shape.save'), () => this.save(), true),
        btn('edit-cancel', t('edit.shape.cancel'), () => this.cancel())),
      this.msg = h('span', { class: 'edit-msg', role: 'status', 'data-test': 'edit-shape-msg' }));
  }

  snapshot() {
    this.undoStack.push(JSON.stringify({ polys: this.polys, draft: this.draft }));
  }

  undo() {
    const last = this.undoStack.pop();
    if (!last) return;
    ({ polys: this.polys, draft: this.draft } = JSON.parse(last));
    this.render();
  }

  /** place adds a (snapped) vertex to the outline being drawn. */
  place(e) {
    if (!this.draft) return;
    this.snapshot();
    this.draft.push(snapPoint(this.map, e.point, this.neighbours).lngLat);
    this.render();
  }

  /** finish closes the drawn outline; its vertices can then be dragged like a reshape's. */
  finish() {
    if (!this.draft || this.draft.length < 3) return;
    this.snapshot();
    this.polys = [[[...this.draft, this.draft[0]]]];
    this.draft = null;
    for (const [type, , fn] of this.handlers.filter(([ty]) => ty === 'click')) this.map.off(type, fn);
    this.handlers = this.handlers.filter(([ty]) => ty !== 'click');
    this.render();
    this.onDrawn?.(this.geometry());
  }

  /** grab starts dragging the vertex under the pointer. */
  grab(e) {
    const f = e.features?.[0];
    if (!f) return;
    e.preventDefault();
    const at = f.properties.at.split(',').map(Number);
    this.snapshot();
    this.map.dragPan.disable();
    const move = (ev) => this.moveVertex(at, snapPoint(this.map, ev.point, this.neighbours));
    const touch = e.type === 'touchstart';
    const up = () => {
      this.map.off(touch ? 'touchmove' : 'mousemove', move);
      this.map.dragPan.enable();
      this.preview();
    };
    this.map.on(touch ? 'touchmove' : 'mousemove', move);
    this.map.once(touch ? 'touchend' : 'mouseup', up);
  }

  moveVertex([p, r, i], snap) {
    if (p < 0) {
      this.draft[i] = snap.lngLat;
    } else {
      const ring = this.polys[p][r];
      ring[i] = snap.lngLat;
      if (i === 0) ring[ring.length - 1] = snap.lngLat;
    }
    this.lastSnap = snap.snapped;
    this.render();
  }

  /**
   * preview asks the server what the outline does to the neighbours (POST /assets/topology) and
   * says so in the bar: overlaps beyond the tolerance, slivers within it, gaps under a metre.
   */
  async preview() {
    const geometry = this.geometry();
    if (!geometry || this.kind !== 'land') return;
    const seq = (this.previewSeq = (this.previewSeq || 0) + 1);
    let topo;
    try {
      topo = await sendJSON('POST', '/api/v1/assets/topology', { kind: this.kind, geometry, except: this.exceptId ? [this.exceptId] : [] });
    } catch { return; }
    if (seq !== this.previewSeq || !this.msg) return;
    const [o, s, g] = [topo.overlaps.length, topo.slivers.length, topo.gaps.length];
    this.msg.classList.toggle('error', o > 0);
    this.msg.textContent = o + s + g ? t('edit.topo', { o, s, g }) : '';
  }

  /** save hands the outline to onSave; an overlap refused by the server asks for a reason. */
  async save(reason) {
    this.msg.textContent = t('edit.shape.saving');
    this.msg.classList.remove('error');
    try {
      const result = await this.onSave(this.geometry(), reason);
      this.stop();
      this.onDone?.(result);
    } catch (e) {
      const overlaps = e.problem?.overlaps;
      if (e.status === 422 && overlaps?.length && !reason) {
        this.msg.textContent = t('edit.overlap.title');
        const why = await confirmOverlap(this.map, overlaps);
        if (why) await this.save(why);
        return;
      }
      this.msg.classList.add('error');
      this.msg.textContent = e.status === 412 ? t('edit.conflict') : e.message;
    }
  }

  cancel() {
    this.stop();
    this.onDone?.(null);
  }

  /** stop takes the editor off the map. */
  stop() {
    for (const [type, layer, fn] of this.handlers) {
      if (layer) this.map.off(type, layer, fn); else this.map.off(type, fn);
    }
    this.handlers = [];
    document.removeEventListener('keydown', this.keys, true);
    for (const id of [VERTS, `${SHAPE}-line`, `${SHAPE}-fill`, `${NEIGH}-line`]) if (this.map.getLayer(id)) this.map.removeLayer(id);
    for (const id of [VERTS, SHAPE, NEIGH]) if (this.map.getSource(id)) this.map.removeSource(id);
    this.bar?.remove();
    document.body.classList.remove('shape-editing');
    this.map.doubleClickZoom.enable();
    setTimeout(() => { state.drawing = false; }, 350); // the click that ended it is still on its way
  }
}

/** reshape opens the shape editor on asset a; onSaved(asset) runs with the saved asset. */
export function reshape(map, a, onSaved) {
  const ed = new ShapeEditor(map, {
    title: `${t('edit.shape.title')}：${a.code}`,
    exceptId: a.id,
    kind: a.kind,
    onSave: (geometry, reason) => api.patchAsset(a.id, { version: a.version, geometry, overlap_reason: reason || undefined }),
    onDone: (saved) => {
      if (!saved) return;
      toast(t('edit.saved'));
      onSaved?.(saved);
    },
  });
  window.__shapeEditor = ed; // for the browser tests, as window.__map
  ed.edit(a.geometry);
  return ed;
}

const HISTORY = 'edit-history';

/** showOutline draws an earlier outline (GeoJSON) as a dashed line; null takes it away. */
export function showOutline(map, g) {
  const data = { type: 'FeatureCollection', features: g ? [{ type: 'Feature', geometry: g, properties: {} }] : [] };
  if (map.getSource(HISTORY)) { map.getSource(HISTORY).setData(data); return; }
  map.addSource(HISTORY, { type: 'geojson', data });
  map.addLayer({ id: `${HISTORY}-line`, type: 'line', source: HISTORY, paint: { 'line-color': '#7048e8', 'line-width': 2.5, 'line-dasharray': [2, 1.5] } });
}
