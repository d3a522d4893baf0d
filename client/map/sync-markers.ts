import * as maplibregl from 'maplibre-gl'

/**
 * Keeps one DOM marker per item on a map: markers of items gone are removed, new items get one made by `element`.
 * For the few things that must catch the eye (alarms, crowded segments): CSS animates them, the map need not repaint.
 */
export function syncMarkers<T, K>(
  map: maplibregl.Map, markers: Map<K, maplibregl.Marker>, items: readonly T[],
  key: (item: T) => K, at: (item: T) => [number, number], element: (item: T) => HTMLElement,
): void {
  const keep = new Set(items.map(key))
  for (const [id, mk] of markers) {
    if (keep.has(id)) continue
    mk.remove()
    markers.delete(id)
  }
  for (const item of items) {
    const id = key(item)
    if (!markers.has(id)) markers.set(id, new maplibregl.Marker({ element: element(item) }).setLngLat(at(item)).addTo(map))
  }
}
