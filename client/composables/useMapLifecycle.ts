import * as maplibregl from 'maplibre-gl'
import 'maplibre-gl/dist/maplibre-gl.css'
import { inject, onBeforeUnmount, onMounted, type Ref, ref, shallowRef, watch } from 'vue'
import type { GeoUnit } from '../../shared/geo/types.js'
import { i18n } from '../i18n/index.js'
import { type BasemapConfig, basemapKind } from '../map/basemap-config.js'
import { baseStyle, relabel } from '../map/basemap-style.js'
import { createMap } from '../map/create-map.js'
import { noteRenderer } from '../motion.js'
import { addCityLayers, offlineStyle } from '../map/city-style.js'
import { STAGE_SCALE } from './useFitStage.js'

// maplibre-gl 5.x inlines its worker (a blob URL), so the bundle needs no worker URL; 6.x, ESM-only, would need
// setWorkerUrl() and costs ~440 KB gzipped (main + worker) against 5.x's ~276 KB — over the wall's budget.

const RESTORE_TIMEOUT_MS = 15_000

export interface MapInput {
  shapes: GeoJSON.FeatureCollection
  labels: readonly GeoUnit[]
  bbox: [number, number, number, number]
  basemap?: BasemapConfig | null
  onSelect?: (code: string) => void
}

export interface MapLifecycleHooks {
  /** A map was created (first, or rebuilt after a lost context) or removed (null). */
  changed: (m: maplibregl.Map | null) => void
  /** The style loaded and the city's layers are in: add the view's interactions and DOM markers. */
  loaded: (m: maplibregl.Map, cfg: MapInput) => void
  /** The layers are ready again (first load, or a restored context: feature states and sources start empty). */
  reapply: () => void
  /** The map is about to be removed (rebuild, unmount): what lives outside it (DOM markers) goes too. */
  removing: () => void
}

/**
 * One MapLibre map in `container` and its life: created on mount with our offline style (or a configured basemap)
 * and the city's layers; a lost WebGL context shows an overlay (`contextLost`) until MapLibre restores it, or the
 * map is rebuilt when the browser never gives it back — one map removed, one created, never two at once. Errors and
 * a load timeout surface in `error`, so a worker failure cannot hang the page.
 */
export function useMapLifecycle(container: Ref<HTMLElement | null>, input: () => MapInput | null, hooks: MapLifecycleHooks) {
  const map = shallowRef<maplibregl.Map | null>(null)
  const ready = ref(false)
  const error = ref<string | null>(null)
  const contextLost = ref(false)
  const stageScale = inject(STAGE_SCALE, null)
  const pixelRatio = () => window.devicePixelRatio * Math.max(1, stageScale?.value ?? 1)
  let restoreTimer = 0

  function create(): void {
    const cfg = input()
    if (!container.value || !cfg || map.value) return
    const m = createMap({
      container: container.value,
      style: baseStyle(cfg.basemap, () => offlineStyle(cfg.shapes), i18n.global.locale.value),
      bounds: cfg.bbox,
      fitBoundsOptions: { padding: 24 },
      pixelRatio: pixelRatio(),
      // our layers have no labels to fade in; a fade keeps the map re-rendering for 300 ms after each tile change
      fadeDuration: 0,
    }, { ready, error }, loaded => onLoad(loaded, cfg))
    map.value = m
    hooks.changed(m)
    m.on('webglcontextlost', () => {
      contextLost.value = true
      ready.value = false
      // MapLibre restores itself when the browser gives the context back; if it never does, build the map again
      restoreTimer = window.setTimeout(rebuild, RESTORE_TIMEOUT_MS)
    })
    m.on('webglcontextrestored', () => {
      window.clearTimeout(restoreTimer)
      void m.once('idle', () => {
        contextLost.value = false
        ready.value = true
        hooks.reapply()
      })
    })
  }

  function onLoad(m: maplibregl.Map, cfg: MapInput): void {
    const canvas = m.getCanvas()
    noteRenderer(canvas.getContext('webgl2') ?? canvas.getContext('webgl'))
    const overBasemap = basemapKind(cfg.basemap) !== 'offline'
    addCityLayers(m, cfg.shapes, overBasemap)
    // map data from OpenStreetMap (or the city's provider) must name its source: the archive's or style's attribution
    if (overBasemap) m.addControl(new maplibregl.AttributionControl({ compact: true }), 'bottom-right')
    hooks.loaded(m, cfg)
    ready.value = true
    hooks.reapply()
  }

  function remove(): void {
    hooks.removing()
    map.value?.remove()
    map.value = null
    ready.value = false
  }

  /** Last resort after a context loss that was never restored. */
  function rebuild(): void {
    remove()
    create()
  }

  onMounted(create)
  watch(i18n.global.locale, (locale) => { if (map.value && ready.value) relabel(map.value, locale) })
  if (stageScale) watch(stageScale, () => map.value?.setPixelRatio(pixelRatio()))
  onBeforeUnmount(() => {
    window.clearTimeout(restoreTimer)
    remove()
    hooks.changed(null)
  })

  return { map, ready, error, contextLost, create }
}
