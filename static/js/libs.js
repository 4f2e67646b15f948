// Libraries the first map paint does not need are loaded on first use: ECharts with the leader
// view, terra-draw with the first drawing, pmtiles with the first offline package. Their versioned paths are rewritten by
// scripts/vendor-ui.sh, like those in index.html.
const LIBS = {
  echarts: ['vendor/echarts@6.1.0/echarts.min.js'],
  pmtiles: ['vendor/pmtiles@4.5.0/pmtiles.js'],
  terraDraw: ['vendor/terra-draw@1.35.0/terra-draw.umd.js', 'vendor/terra-draw-maplibre-gl-adapter@1.4.1/terra-draw-maplibre-gl-adapter.umd.js'],
};
const loading = {};

function script(src) {
  return new Promise((resolve, reject) => {
    const el = document.createElement('script');
    el.src = src;
    el.onload = resolve;
    el.onerror = () => reject(new Error(`cannot load ${src}`));
    document.head.append(el);
  });
}

/** loadLib loads a library's scripts once, in order (an adapter needs its library first). */
export function loadLib(name) {
  loading[name] ||= LIBS[name].reduce((p, src) => p.then(() => script(src)), Promise.resolve());
  return loading[name];
}
