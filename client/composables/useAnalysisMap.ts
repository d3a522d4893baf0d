import * as maplibregl from 'maplibre-gl'
import { createMap } from '../map/create-map.js'
import 'maplibre-gl/dist/maplibre-gl.css'
import { onBeforeUnmount, onMounted, type Ref, ref, shallowRef } from 'vue'
import type { AnalysisPoints } from '../../shared/analysis.js'
import { NO_DATA } from '../analysis/choropleth.js'
import { bboxOf } from '../analysis/geometry.js'
import { SEVERITY_COLOURS } from '../charts/theme.js'
import { exposeForTests } from '../test-hooks.js'

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] }

export interface AnalysisMapEvents {
  hover: (h: { code: string, x: number, y: number } | null) => void
  select: (code: string) => void
  openCase: (id: string) => void
}

/**
 * The drill-down's MapLibre map: the city's districts as a backdrop, the selected unit's outline, its children as a
 * choropleth (colour per child through feature-state) and incident points. Offline style: no tiles, no glyphs
 * (names are HTML markers). The instance stays out of Vue reactivity.
 */
export function useAnalysisMap(container: Ref<HTMLElement | null>, backdrop: () => GeoJSON.FeatureCollection | null, bounds: () => [number, number, number, number] | null, on: AnalysisMapEvents) {
  const map = shallowRef<maplibregl.Map | null>(null)
  const ready = ref(false)
  const error = ref<string | null>(null)
  let hovered: string | null = null
  let childCodes: string[] = []
  const labels: maplibregl.Marker[] = []
  let pending: (() => void)[] = []
  // what the map shows, for browser tests (exposeForTests)
  let shownArea: string | null = null
  let shownPoints = 0

  function whenReady(fn: () => void): void {
    if (ready.value) fn()
    else pending.push(fn)
  }

  function create(): void {
    const box = bounds()
    if (!container.value || !box || map.value) return
    const m = createMap({
      container: container.value,
      style: {
        version: 8,
        sources: {
          backdrop: { type: 'geojson', data: backdrop() ?? EMPTY },
          unit: { type: 'geojson', data: EMPTY },
          children: { type: 'geojson', data: EMPTY, promoteId: 'code' },
          points: { type: 'geojson', data: EMPTY },
        },
        layers: [
          { id: 'background', type: 'background', paint: { 'background-color': '#050d19' } },
          { id: 'backdrop-fill', type: 'fill', source: 'backdrop', paint: { 'fill-color': '#091a2e', 'fill-opacity': 0.9 } },
          { id: 'backdrop-line', type: 'line', source: 'backdrop', paint: { 'line-color': '#1b3556', 'line-width': 1 } },
          {
            id: 'children-fill', type: 'fill', source: 'children',
            paint: {
              'fill-color': ['to-color', ['coalesce', ['feature-state', 'colour'], NO_DATA]],
              'fill-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 0.95, 0.78],
            },
          },
          { id: 'children-line', type: 'line', source: 'children', paint: { 'line-color': '#5a8fc4', 'line-width': 0.8, 'line-opacity': 0.8 } },
          { id: 'children-hover', type: 'line', source: 'children', paint: { 'line-color': '#ffffff', 'line-width': ['case', ['boolean', ['feature-state', 'hover'], false], 2.5, 0] } },
          { id: 'unit-line', type: 'line', source: 'unit', paint: { 'line-color': '#7fe3ff', 'line-width': 2.5 } },
          {
            id: 'points', type: 'circle', source: 'points',
            paint: {
              'circle-color': ['match', ['get', 'severity'], 'critical', SEVERITY_COLOURS.critical!, 'high', SEVERITY_COLOURS.high!, 'low', SEVERITY_COLOURS.low!, SEVERITY_COLOURS.normal!],
              'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 2.5, 15, 6],
              'circle-opacity': 0.9, 'circle-stroke-width': 0.5, 'circle-stroke-color': '#050d19',
            },
          },
        ],
      },
      bounds: box,
      fitBoundsOptions: { padding: 24 },
    }, { ready, error }, (loaded) => {
      bind(loaded)
      ready.value = true
      const run = pending
      pending = []
      for (const fn of run) fn()
    })
    map.value = m
    exposeForTests({ analysisMap: { map: m, get area() { return shownArea }, get points() { return shownPoints } } })
  }

  function setHover(m: maplibregl.Map, code: string | null): void {
    if (hovered === code) return
    if (hovered !== null) m.setFeatureState({ source: 'children', id: hovered }, { hover: false })
    hovered = code
    if (code !== null) m.setFeatureState({ source: 'children', id: code }, { hover: true })
  }

  function bind(m: maplibregl.Map): void {
    m.on('mousemove', 'children-fill', (e) => {
      const code = e.features?.[0]?.properties?.code as string | undefined
      if (!code) return
      setHover(m, code)
      m.getCanvas().style.cursor = 'pointer'
      on.hover({ code, x: e.point.x, y: e.point.y })
    })
    m.on('mouseleave', 'children-fill', () => {
      setHover(m, null)
      m.getCanvas().style.cursor = ''
      on.hover(null)
    })
    m.on('click', (e) => {
      const point = m.queryRenderedFeatures(e.point, { layers: ['points'] })[0]
      if (point?.properties?.id) return on.openCase(String(point.properties.id))
      const child = m.queryRenderedFeatures(e.point, { layers: ['children-fill'] })[0]
      const code = child?.properties?.code as string | undefined
      if (code) on.select(code)
    })
  }

  /** The selected unit (outline, fitted) and its children (choropleth shapes, name labels). */
  function setArea(unit: GeoJSON.Feature | null, children: GeoJSON.FeatureCollection, showLabels: boolean): void {
    whenReady(() => {
      const m = map.value!
      hovered = null
      m.getSource<maplibregl.GeoJSONSource>('unit')!.setData(unit ? { type: 'FeatureCollection', features: [unit] } : EMPTY)
      m.getSource<maplibregl.GeoJSONSource>('children')!.setData(children)
      childCodes = children.features.map(f => String(f.properties?.code))
      for (const mk of labels) mk.remove()
      labels.length = 0
      if (showLabels) {
        for (const f of children.features) {
          const center = f.properties?.center as [number, number] | undefined
          if (!center) continue
          const el = document.createElement('div')
          el.className = 'area-label'
          el.textContent = String(f.properties?.name ?? '')
          labels.push(new maplibregl.Marker({ element: el }).setLngLat(center).addTo(m))
        }
      }
      const box = unit ? bboxOf({ type: 'FeatureCollection', features: [unit] }) : bboxOf(children) ?? bounds()
      if (box) m.fitBounds(box, { padding: 36, duration: 500, maxZoom: 16 })
      shownArea = String(unit?.properties?.code ?? 'city')
    })
  }

  /** Colour per child code (the choropleth); children not listed get the no-data colour. */
  function setColours(colours: Record<string, string>): void {
    whenReady(() => {
      const m = map.value!
      for (const code of childCodes) m.setFeatureState({ source: 'children', id: code }, { colour: colours[code] ?? NO_DATA })
    })
  }

  function setPoints(p: AnalysisPoints | null): void {
    whenReady(() => {
      shownPoints = p?.ids.length ?? 0
      map.value!.getSource<maplibregl.GeoJSONSource>('points')!.setData(p ? {
        type: 'FeatureCollection',
        features: p.ids.map((id, k) => ({ type: 'Feature', properties: { id, t: p.t[k], severity: p.severity[k] }, geometry: { type: 'Point', coordinates: [p.lon[k]!, p.lat[k]!] } })),
      } : EMPTY)
    })
  }

  /** Shows only the points reported in [fromMs, toMs) (the playback), or all with null. */
  function filterPoints(window: [number, number] | null): void {
    whenReady(() => {
      map.value!.setFilter('points', window ? ['all', ['>=', ['get', 't'], window[0]], ['<', ['get', 't'], window[1]]] : null)
    })
  }

  onMounted(create)
  onBeforeUnmount(() => {
    for (const mk of labels) mk.remove()
    map.value?.remove()
    map.value = null
    exposeForTests({ analysisMap: undefined })
  })

  return { map, ready, error, create, setArea, setColours, setPoints, filterPoints }
}
