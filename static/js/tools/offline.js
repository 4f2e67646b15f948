// 离线包 (issue 14 item 6): 打开离线包 in the map's tool group opens a .pmtiles package from disk
// (`onemap tiles export --format pmtiles`, or the server's /tiles/onemap.pmtiles saved earlier) and
// draws the one map from it: pmtiles' FileSource reads the file by slices and its MapLibre protocol
// hands each tile to the map, so no tile is asked of the server from then on.
// 下载离线地图 beside it downloads the offline map kit (/tiles/onemap-offline.zip: a viewer that
// opens from disk with no server, with the newest package) for a meeting room with no network.
import { setOfflineTiles } from '../api.js';
import { h, toast } from '../dom.js';
import { t, addWords } from '../i18n.js';
import { loadLib } from '../libs.js';
import { mapTools } from './registry.js';

addWords('zh', {
  'offline.button': '打开离线包', 'offline.title': '从本机打开离线包（.pmtiles），地图不再向服务器请求瓦片',
  'offline.opened': '已打开离线包 {name}（{min}–{max} 级）', 'offline.failed': '无法打开离线包 {name}：{error}',
  'offline.download': '下载离线地图', 'offline.downloadTitle': '下载离线地图（zip）：解压后双击 index.html，无需网络和服务器即可查看一张图',
  'offline.none': '服务器上还没有离线包：请管理员先运行 onemap tiles export --format pmtiles',
});
addWords('en', {
  'offline.button': 'Open offline package', 'offline.title': 'Open an offline package (.pmtiles) from this computer: the map asks the server for no more tiles',
  'offline.opened': 'Offline package {name} open (zooms {min}–{max})', 'offline.failed': 'Cannot open offline package {name}: {error}',
  'offline.download': 'Download offline map', 'offline.downloadTitle': 'Download the offline map (zip): unzip it and double-click index.html to see the one map with no network or server',
  'offline.none': 'The server has no offline package yet: an administrator runs onemap tiles export --format pmtiles first',
});

/** KIT_URL is the offline map kit with the server's newest package. */
const KIT_URL = 'tiles/onemap-offline.zip';

let protocol = null; // one pmtiles protocol per page, registered with MapLibre on first use

/** OfflinePackage is the 打开离线包 button and its file input, and the 下载离线地图 link. */
export class OfflinePackage {
  constructor(map, { onOpen }) {
    Object.assign(this, { map, onOpen });
    this.input = h('input', { type: 'file', accept: '.pmtiles', id: 'offline-file', hidden: true,
      onchange: () => this.open(this.input.files[0]) });
    this.btn = h('button', { type: 'button', class: 'btn btn-small', id: 'offline-open', onclick: () => this.input.click() });
    this.link = h('a', { class: 'btn btn-small', id: 'offline-download', href: KIT_URL, download: 'onemap-offline.zip',
      onclick: (e) => this.download(e) });
    mapTools(map).append(this.btn, this.input, this.link);
    this.render();
  }

  render() {
    this.btn.textContent = t('offline.button');
    this.btn.title = t('offline.title');
    this.link.textContent = t('offline.download');
    this.link.title = t('offline.downloadTitle');
  }

  /**
   * download lets the browser save the kit (streamed, not held in the page) once the server says
   * it has a package; else it says how to make one.
   */
  async download(e) {
    if (this.checked) { this.checked = false; return; } // the click below, after the check
    e.preventDefault();
    const res = await fetch(KIT_URL, { method: 'HEAD' }).catch(() => null);
    if (!res?.ok) { toast(t(res?.status === 404 ? 'offline.none' : 'err.load'), 'error'); return; }
    this.checked = true;
    this.link.click();
  }

  /** open reads the package's header, then points the map's tile source at it. */
  async open(file) {
    if (!file) return;
    try {
      await loadLib('pmtiles');
      const { Protocol, PMTiles, FileSource } = window.pmtiles;
      if (!protocol) {
        protocol = new Protocol();
        maplibregl.addProtocol('pmtiles', protocol.tile);
      }
      const pkg = new PMTiles(new FileSource(file));
      const header = await pkg.getHeader(); // throws on a file that is not a PMTiles package
      protocol.add(pkg);
      // The map overzooms past the package's deepest zoom instead of asking for tiles it lacks.
      const source = this.map.getSource('onemap');
      source.minzoom = header.minZoom;
      source.maxzoom = header.maxZoom;
      setOfflineTiles(`pmtiles://${file.name}/{z}/{x}/{y}`);
      this.onOpen();
      toast(t('offline.opened', { name: file.name, min: header.minZoom, max: header.maxZoom }));
    } catch (err) {
      toast(t('offline.failed', { name: file.name, error: err.message }), 'error');
    } finally {
      this.input.value = ''; // the same file may be opened again
    }
  }
}
