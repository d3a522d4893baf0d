import { bbox } from '@turf/turf'
import type * as maplibregl from 'maplibre-gl'

/** The district layer's interactions: hover highlight, click to select, and one focused district outlined. */
export class MapDistricts {
  private hovered: string | number | null = null
  private focus: string | null = null

  bind(m: maplibregl.Map, onSelect?: (code: string) => void): void {
    this.hovered = null
    m.on('mousemove', 'district-fill', (e) => {
      const id = e.features?.[0]?.id
      if (id === undefined || id === this.hovered) return
      if (this.hovered !== null) m.setFeatureState({ source: 'districts', id: this.hovered }, { hover: false })
      this.hovered = id
      m.setFeatureState({ source: 'districts', id }, { hover: true })
      m.getCanvas().style.cursor = onSelect ? 'pointer' : ''
    })
    m.on('mouseleave', 'district-fill', () => {
      if (this.hovered !== null) m.setFeatureState({ source: 'districts', id: this.hovered }, { hover: false })
      this.hovered = null
      m.getCanvas().style.cursor = ''
    })
    if (onSelect) m.on('click', 'district-fill', (e) => {
      const code = e.features?.[0]?.properties?.code as string | undefined
      if (code) onSelect(code)
    })
  }

  /** Outlines one district (null: none) and, when the map is ready, fits the view to it or to the whole city. */
  setFocus(m: maplibregl.Map | null, code: string | null, shapes?: GeoJSON.FeatureCollection, cityBox?: [number, number, number, number]): void {
    this.focus = code
    if (!m || !shapes || !cityBox) return
    this.reapply(m)
    const feature = code ? shapes.features.find(f => f.properties?.code === code) : undefined
    const box = (feature ? bbox(feature) : cityBox) as [number, number, number, number]
    m.fitBounds(box, { padding: 32, duration: 600 })
  }

  reapply(m: maplibregl.Map): void {
    m.setFilter('district-focus', ['==', ['get', 'code'], this.focus ?? ''])
  }
}
