// The map's tool buttons: each tool module hands its buttons to mapToolGroup, which shows them as
// one MapLibre control group (top right, under the zoom buttons).

/** mapToolGroup adds buttons to the map as a control group; returns the group's element. */
export function mapToolGroup(map, buttons, position = 'top-right') {
  const el = document.createElement('div');
  el.className = 'maplibregl-ctrl maplibregl-ctrl-group map-tools';
  el.append(...buttons);
  map.addControl({ onAdd: () => el, onRemove: () => el.remove() }, position);
  return el;
}
