import * as maplibregl from 'maplibre-gl'
import { markRaw, type Ref } from 'vue'

const LOAD_TIMEOUT_MS = 20_000

/** The data of a GeoJSON source before its first update. */
export const EMPTY_FC: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] }

/**
 * A MapLibre map with what every view shares: no attribution box, no rotation, kept out of Vue reactivity, and
 * unable to hang its page: an error before the map is ready, or no `load` within LOAD_TIMEOUT_MS (a worker that
 * never started), lands in `error` for the view to show. `onLoad` adds the view's own layers.
 */
export function createMap(options: Omit<maplibregl.MapOptions, 'attributionControl'>, state: { ready: Ref<boolean>, error: Ref<string | null> },
  onLoad: (m: maplibregl.Map) => void): maplibregl.Map {
  const m = markRaw(new maplibregl.Map({ attributionControl: false, dragRotate: false, pitchWithRotate: false, ...options }))
  const timer = window.setTimeout(() => { if (!state.ready.value) state.error.value = 'timeout' }, LOAD_TIMEOUT_MS)
  m.on('error', (e) => {
    if (!state.ready.value) state.error.value = e.error?.message ?? 'error'
    console.error('map error', e.error?.message, e.error?.stack)
  })
  m.on('load', () => {
    window.clearTimeout(timer)
    onLoad(m)
  })
  return m
}
