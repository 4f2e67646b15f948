// 核查 (issue 12): field checks from a phone. The 核查 tab (on a phone, a button of the bottom bar)
// asks the device where it is, lists the assets around it nearest first (附近资产), and a tap on
// one opens the check form: result, note and a photo from the camera. The check goes with the
// device's position and clock; the server measures the distance to the asset and flags a check
// made more than 200 m away, which the form then warns of. The asset panel lists an asset's
// checks (checksSection), and the map layer 核查点 shows where checks were made.
import { getJSON, sendForm } from './api.js';
import { $, h, fill, toast } from './dom.js';
import { t, num, dateTime, addWords } from './i18n.js';
import { PHONE } from './phone.js';

addWords('zh', {
  'tab.checks': '核查', 'chk.title': '现场核查', 'chk.locate': '定位并查找附近资产', 'chk.relocate': '重新定位',
  'chk.locating': '正在定位…', 'chk.near': '附近资产', 'chk.nearCount': '{r} 米内 {n} 宗，由近及远', 'chk.none': '附近 {r} 米内没有资产',
  'chk.position': '当前位置 {lon}, {lat}（精度 {acc} 米）', 'chk.newFind': '新发现（不在图上）', 'chk.back': '返回列表',
  'chk.result': '核查结果', 'chk.takePhoto': '拍照 / 选择照片', 'chk.again': '再次核查', 'chk.note': '情况说明', 'chk.photo': '现场照片', 'chk.submit': '提交核查', 'chk.sending': '正在提交…',
  'chk.saved': '核查已提交', 'chk.flagged': '位置存疑：距离资产 {m} 米（超过 200 米）', 'chk.distance': '距离资产 {m} 米',
  'chk.geoDenied': '无法获取位置：请允许浏览器使用定位', 'chk.noGeo': '此浏览器不支持定位', 'chk.forbidden': '没有核查权限（需分析员账号）',
  'chk.layer': '在地图上显示核查点', 'chk.history': '核查记录', 'chk.noChecks': '暂无核查', 'chk.photos': '照片 {n} 张',
  'chk.findHint': '在当前位置登记一处图上没有的资产', 'chk.signIn': '登录分析员账号后可提交核查',
  'chk.r.consistent': '一致', 'chk.r.inconsistent': '不一致', 'chk.r.new_find': '新发现', 'chk.r.unreachable': '无法到达',
  'layer.checks': '核查点',
});
addWords('en', {
  'tab.checks': 'Checks', 'chk.title': 'Field check', 'chk.locate': 'Locate me and list nearby assets', 'chk.relocate': 'Locate again',
  'chk.locating': 'Locating…', 'chk.near': 'Nearby assets', 'chk.nearCount': '{n} within {r} m, nearest first', 'chk.none': 'No asset within {r} m',
  'chk.position': 'Position {lon}, {lat} (±{acc} m)', 'chk.newFind': 'New find (not on the map)', 'chk.back': 'Back to the list',
  'chk.result': 'Result', 'chk.takePhoto': 'Take or choose a photo', 'chk.again': 'Check again', 'chk.note': 'Note', 'chk.photo': 'Photo', 'chk.submit': 'Submit check', 'chk.sending': 'Submitting…',
  'chk.saved': 'Check submitted', 'chk.flagged': 'Position doubtful: {m} m from the asset (over 200 m)', 'chk.distance': '{m} m from the asset',
  'chk.geoDenied': 'No position: allow the browser to use location', 'chk.noGeo': 'This browser cannot locate', 'chk.forbidden': 'Checks need an analyst account',
  'chk.layer': 'Show check points on the map', 'chk.history': 'Field checks', 'chk.noChecks': 'No checks yet', 'chk.photos': '{n} photos',
  'chk.findHint': 'Record an asset the map does not hold, at this position', 'chk.signIn': 'Sign in as an analyst to submit checks',
  'chk.r.consistent': 'Consistent', 'chk.r.inconsistent': 'Inconsistent', 'chk.r.new_find': 'New find', 'chk.r.unreachable': 'Unreachable',
  'layer.checks': 'Check points',
});

/** RESULTS are the outcomes of a check, with their colours on the map and in lists. */
export const RESULTS = { consistent: '#2f9e44', inconsistent: '#f08c00', new_find: '#1c7ed6', unreachable: '#868e96' };
/** RADIUS is how far around the device (metres) 附近资产 looks. */
const RADIUS = 500;
const FLAG_COLOR = '#e03131';

const checksAPI = {
  near: (p) => getJSON('/api/v1/assets/near', new URLSearchParams({ lon: p.lon, lat: p.lat, radius: RADIUS })),
  forAsset: (id) => getJSON(`/api/v1/assets/${encodeURIComponent(id)}/checks`),
  layer: () => getJSON('/api/v1/checks.geojson'),
  create: (assetID, form) => sendForm(assetID == null ? '/api/v1/checks' : `/api/v1/assets/${encodeURIComponent(assetID)}/checks`, form),
};

/** here asks the device where it is: { lon, lat, accuracy } (a rejection says why not, in words). */
function here() {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) { reject(new Error(t('chk.noGeo'))); return; }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lon: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy }),
      () => reject(new Error(t('chk.geoDenied'))),
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 5000 });
  });
}

const metres = (m) => num(Math.round(m), 0);
const resultBadge = (r) => h('span', { class: 'badge chk-result', style: { '--c': RESULTS[r] } }, t(`chk.r.${r}`));

/** flagNote warns of a check made too far from its asset. */
const flagNote = (c) => (c.flagged ? h('p', { class: 'chk-warn', role: 'alert', 'data-test': 'check-flag' }, t('chk.flagged', { m: metres(c.distance_m) })) : null);

/** checkItem is one check in a list: result, when and who, distance, note. */
function checkItem(c) {
  return h('li', { class: `chk-item${c.flagged ? ' flagged' : ''}`, 'data-check': c.id },
    h('div', { class: 'chk-line' }, resultBadge(c.result), h('time', { datetime: c.taken_at || c.created_at }, dateTime(c.taken_at || c.created_at))),
    h('div', { class: 'muted' }, [c.actor, c.distance_m != null ? t('chk.distance', { m: metres(c.distance_m) }) : null,
      c.photo_count ? t('chk.photos', { n: c.photo_count }) : null].filter(Boolean).join(' · ')),
    flagNote(c),
    c.note ? h('div', { class: 'note' }, c.note) : null);
}

/** checksSection is the asset panel's 核查记录: filled when the asset's checks arrive. */
export function checksSection(asset) {
  const list = h('div', { 'data-test': 'asset-checks' }, h('p', { class: 'muted' }, '…'));
  checksAPI.forAsset(asset.id).then(({ checks }) => fill(list, checks.length
    ? h('ol', { class: 'chk-list' }, checks.map(checkItem)) : h('p', { class: 'muted' }, t('chk.noChecks'))))
    .catch((e) => fill(list, h('p', { class: 'muted' }, e.message)));
  return [h('h3', {}, t('chk.history')), list];
}

const LAYER = {
  id: 'checks-points', type: 'circle', source: 'checks',
  paint: {
    'circle-color': ['match', ['get', 'result'], ...Object.entries(RESULTS).flat(), '#868e96'],
    'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 4, 16, 8],
    'circle-stroke-color': ['case', ['get', 'flagged'], FLAG_COLOR, '#ffffff'],
    'circle-stroke-width': ['case', ['get', 'flagged'], 3, 1.5],
  },
};

/** photoPicker is the camera input as a button (the browser's own control names no photo), with the chosen file's name. */
function photoPicker() {
  const name = h('span', { class: 'muted chk-photo-name' });
  const input = h('input', { type: 'file', name: 'photo', id: 'chk-photo', accept: 'image/*', capture: 'environment', class: 'chk-photo-input',
    onchange: () => { name.textContent = input.files[0]?.name || ''; } });
  return h('div', { class: 'chk-photo' }, h('label', { class: 'btn', for: 'chk-photo' }, t('chk.takePhoto')), input, name);
}

/** ChecksPanel is the 核查 tab: near me, the check form, and the 核查点 layer. */
export class ChecksPanel {
  constructor(el, { map, session, openAsset }) {
    Object.assign(this, { el, map, session, openAsset });
    this.view = 'near'; // or 'form'
    this.position = null;
    this.near = null;
    this.target = null; // the asset being checked (null: a new find)
    this.showLayer = true;
  }

  /** init draws the tab and the 核查点 layer, once: when the tab is first opened. */
  init() {
    if (this.started) return;
    this.started = true;
    this.render();
    this.loadLayer();
    this.map.on('click', LAYER.id, (e) => this.popup(e));
  }

  /** loadLayer (re)loads the check points onto the map. */
  async loadLayer() {
    let fc;
    try { fc = await checksAPI.layer(); } catch { return; }
    if (this.map.getSource('checks')) this.map.getSource('checks').setData(fc); else this.map.addSource('checks', { type: 'geojson', data: fc });
    if (!this.map.getLayer(LAYER.id)) this.map.addLayer(LAYER);
    this.map.setLayoutProperty(LAYER.id, 'visibility', this.showLayer ? 'visible' : 'none');
  }

  popup(e) {
    const p = e.features?.[0]?.properties;
    if (!p) return;
    new maplibregl.Popup({ maxWidth: '260px' }).setLngLat(e.lngLat).setDOMContent(h('div', { class: 'chk-pop' },
      h('div', {}, resultBadge(p.result), ' ', p.asset_code && p.asset_code !== 'null' ? h('code', {}, p.asset_code) : t('chk.r.new_find')),
      p.distance_m != null && p.distance_m !== 'null' ? h('div', { class: p.flagged ? 'chk-warn' : 'muted' }, t('chk.distance', { m: metres(Number(p.distance_m)) })) : null,
      p.note ? h('div', {}, p.note) : null)).addTo(this.map);
  }

  /** locate asks the device where it is and lists the assets around, nearest first. */
  async locate() {
    this.busy = t('chk.locating');
    this.error = null;
    this.render();
    try {
      this.position = await here();
      this.near = (await checksAPI.near(this.position)).assets;
      this.showPosition();
    } catch (e) {
      this.error = e.message;
    }
    this.busy = null;
    this.render();
  }

  /** showPosition marks where the device is and brings the map there. */
  showPosition() {
    const { lon, lat } = this.position;
    this.marker ??= new maplibregl.Marker({ color: '#1c5bbf', scale: 0.8 });
    this.marker.setLngLat([lon, lat]).addTo(this.map);
    // On a phone the open sheet covers the lower 62 % of the screen: the position goes above it.
    const offset = [0, PHONE.matches ? -0.31 * window.innerHeight : 0];
    this.map.easeTo({ center: [lon, lat], zoom: Math.max(this.map.getZoom(), 15), offset, duration: 0 });
  }

  /** pick opens the form for asset a (null: a new find at the device's position). */
  pick(a) {
    Object.assign(this, { target: a, view: 'form', last: null, error: null });
    this.render();
  }

  /** submit sends the check with the device's position and clock at the moment of sending. */
  async submit(form) {
    const data = new FormData(form);
    if (!data.get('photo')?.size) data.delete('photo');
    this.busy = t('chk.sending');
    this.render();
    try {
      const p = await here().catch(() => this.position);
      if (!p) throw new Error(t('chk.geoDenied'));
      for (const [k, v] of Object.entries({ lon: p.lon, lat: p.lat, accuracy_m: p.accuracy ?? '', taken_at: new Date().toISOString() })) {
        if (v !== '') data.set(k, String(v));
      }
      this.last = await checksAPI.create(this.target?.id ?? null, data);
      toast(this.last.flagged ? t('chk.flagged', { m: metres(this.last.distance_m) }) : t('chk.saved'), this.last.flagged ? 'error' : 'info');
      this.loadLayer();
    } catch (e) {
      this.error = e.status === 403 || e.status === 401 ? t('chk.forbidden') : e.message;
    }
    this.busy = null;
    this.render();
  }

  render() {
    if (!this.started) return;
    fill(this.el, h('h3', {}, t('chk.title')),
      h('label', { class: 'chk-toggle' }, h('input', { type: 'checkbox', id: 'chk-layer', checked: this.showLayer,
        onchange: (e) => { this.showLayer = e.target.checked; this.loadLayer(); } }), t('chk.layer')),
      this.view === 'form' ? this.formView() : this.nearView());
  }

  nearView() {
    const p = this.position;
    return [
      h('div', { class: 'btn-row' }, h('button', { type: 'button', class: 'btn btn-primary', id: 'chk-locate', disabled: Boolean(this.busy),
        onclick: () => this.locate() }, t(p ? 'chk.relocate' : 'chk.locate'))),
      this.busy ? h('p', { class: 'muted' }, this.busy) : null,
      this.error ? h('p', { class: 'error', role: 'alert' }, this.error) : null,
      p ? h('p', { class: 'hint', 'data-test': 'chk-position' }, t('chk.position', { lon: p.lon.toFixed(5), lat: p.lat.toFixed(5), acc: metres(p.accuracy ?? 0) })) : null,
      this.near ? this.nearList() : null,
    ];
  }

  nearList() {
    const items = this.near.map((a) => h('li', {}, h('button', { type: 'button', class: 'chk-near', 'data-asset': a.id, onclick: () => this.pick(a) },
      h('span', { class: 'chk-line' }, h('strong', {}, a.name || a.code), h('span', { class: 'chk-dist' }, `${metres(a.distance_m)} m`)),
      h('span', { class: 'muted' }, h('code', {}, a.code), ` · ${t(`kind.${a.kind}`)}`))));
    return [
      h('h3', {}, t('chk.near')),
      h('p', { class: 'hint' }, t(this.near.length ? 'chk.nearCount' : 'chk.none', { n: this.near.length, r: RADIUS })),
      h('ol', { class: 'chk-near-list', 'data-test': 'near-list' }, items),
      h('button', { type: 'button', class: 'btn', id: 'chk-new-find', title: t('chk.findHint'), onclick: () => this.pick(null) }, t('chk.newFind')),
    ];
  }

  formView() {
    const a = this.target;
    const results = a ? Object.keys(RESULTS) : ['new_find'];
    const canCheck = this.session?.canEdit();
    const form = h('form', { id: 'chk-form', class: 'chk-form', onsubmit: (e) => { e.preventDefault(); this.submit(e.target); } },
      h('fieldset', { class: 'chk-results' }, h('legend', {}, t('chk.result')),
        results.map((r, i) => h('label', { class: 'chk-radio' }, h('input', { type: 'radio', name: 'result', value: r, checked: i === 0 }), t(`chk.r.${r}`)))),
      h('label', { class: 'form-field' }, t('chk.note'), h('textarea', { name: 'note', id: 'chk-note', rows: 3, maxlength: 2000 })),
      h('div', { class: 'form-field' }, t('chk.photo'), photoPicker()),
      h('div', { class: 'btn-row' },
        h('button', { type: 'submit', class: 'btn btn-primary', id: 'chk-submit', disabled: Boolean(this.busy) || !canCheck }, this.busy || t('chk.submit')),
        h('button', { type: 'button', class: 'btn', onclick: () => { this.view = 'near'; this.render(); } }, t('chk.back'))),
      canCheck ? null : h('p', { class: 'hint' }, t('chk.signIn')));
    return [
      h('div', { class: 'chk-target' }, a ? [h('strong', {}, a.name || a.code), ' ', h('code', {}, a.code),
        h('span', { class: 'muted' }, ` · ${metres(a.distance_m)} m`)] : h('strong', {}, t('chk.newFind'))),
      this.last ? h('div', { class: 'chk-done', 'data-test': 'check-done' }, h('p', {}, resultBadge(this.last.result), ' ', t('chk.saved')), flagNote(this.last)) : null,
      this.error ? h('p', { class: 'error', role: 'alert' }, this.error) : null,
      this.last ? h('div', { class: 'btn-row' }, h('button', { type: 'button', class: 'btn btn-primary', id: 'chk-again', onclick: () => this.pick(a) }, t('chk.again')),
        h('button', { type: 'button', class: 'btn', onclick: () => { this.view = 'near'; this.render(); } }, t('chk.back'))) : form,
    ];
  }
}
