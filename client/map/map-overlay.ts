import type * as maplibregl from 'maplibre-gl'
import type { IncidentSummary } from '../../shared/incident.js'
import { shareOfLargest } from '../analysis/choropleth.js'
import { motion } from '../motion.js'
import type { MapPoints } from './map-points.js'
import { PulseRings } from './pulse-rings.js'

/** Calm motion: still rings of this size. */
const CALM_RING_RADIUS = 12

/**
 * What the map draws over the points: per-cell counts and arrival rings in one `overlay` source, and the districts'
 * choropleth as feature state. Cell counts and rings travel together (one worker round trip, one tile at city zoom):
 * on a software renderer each tile that arrives on its own is one more full render; the shading waits for that tile,
 * so both show in one render.
 */
export class MapOverlay {
  // Fresh arrivals pulse for a moment (PULSE_MS); the animation loop runs only while there is something to animate.
  private readonly rings = new PulseRings()
  private pulseFrame = 0
  private cellsDrawn = -1
  /** When the overlay was last sent; its tile has not come back yet while non-zero. */
  private sentAt = 0
  private choropleth: { counts: Record<string, number>, codes: readonly string[] } | null = null
  private choroplethDirty = false

  constructor(private readonly map: () => maplibregl.Map | null, private readonly points: MapPoints, private readonly scheduleDraw: () => void) {}

  /** The style came back empty: rings go, cells and shading are sent again. */
  reset(): void {
    this.cellsDrawn = -1
    this.sentAt = 0
    this.rings.clear()
    this.styleRings()
    this.choroplethDirty = this.choropleth !== null
  }

  /** Part of a draw, after the points: `toggled` when the aggregate was switched on or off. */
  draw(m: maplibregl.Map, toggled: boolean): void {
    const cellsChanged = toggled || (this.points.aggregated && this.cellsDrawn !== this.points.points.cellsVersion)
    const calm = motion.value === 'calm'
    const ringsChanged = calm && this.rings.expire(performance.now())
    if (cellsChanged || ringsChanged) this.send(m)
    if (calm && this.rings.size > 0) this.scheduleDraw() // their expiry is a change too
    // a lost tile event delays the shading a second at most
    if (this.sentAt === 0 || performance.now() - this.sentAt > 1000) this.applyChoropleth(m)
  }

  /** The overlay's tile came back: the shading may follow. */
  landed(m: maplibregl.Map): void {
    this.sentAt = 0
    this.applyChoropleth(m)
  }

  /** Choropleth: each district shaded by its share of the largest count. */
  setChoropleth(counts: Record<string, number>, codes: readonly string[]): void {
    this.choropleth = { counts, codes }
    this.choroplethDirty = true
    this.scheduleDraw()
  }

  /** Rings around newly arrived incidents (critical ones red and wider): two expanding cycles, or still when calm. */
  pulse(list: readonly IncidentSummary[]): void {
    if (list.length === 0) return
    this.rings.add(list, performance.now())
    if (motion.value === 'calm') this.scheduleDraw()
    else if (!this.pulseFrame) this.pulseFrame = requestAnimationFrame(this.animate)
  }

  /** Calm: still rings (the animation loop stops); full: the loop resumes with the next arrival. */
  styleRings(): void {
    const m = this.map()
    if (!m || !m.getLayer('pulses') || motion.value !== 'calm') return
    this.stop()
    m.setPaintProperty('pulses', 'circle-radius', CALM_RING_RADIUS)
    m.setPaintProperty('pulses', 'circle-stroke-opacity', 0.9)
  }

  stop(): void {
    if (this.pulseFrame) cancelAnimationFrame(this.pulseFrame)
    this.pulseFrame = 0
  }

  private send(m: maplibregl.Map): void {
    const cells = this.points.aggregated ? this.points.points.cellFeatures().features : []
    this.cellsDrawn = this.points.points.cellsVersion
    this.sentAt = performance.now()
    void m.getSource<maplibregl.GeoJSONSource>('overlay')?.setData({ type: 'FeatureCollection', features: [...cells, ...this.rings.take().features] })
  }

  private applyChoropleth(m: maplibregl.Map): void {
    if (!this.choroplethDirty || !this.choropleth) return
    this.choroplethDirty = false
    const { counts, codes } = this.choropleth
    const ratios = shareOfLargest(counts, codes)
    for (const code of codes) m.setFeatureState({ source: 'districts', id: code }, { ratio: ratios[code] })
  }

  private readonly animate = (now: number): void => {
    this.pulseFrame = 0
    const m = this.map()
    if (!m || !m.getSource('overlay') || motion.value === 'calm') return
    if (this.rings.expire(now)) this.send(m)
    if (this.rings.size === 0) return
    // one phase for all rings keeps this to two paint updates per frame, whatever the number of arrivals
    // rAF time can trail the performance.now() a pulse was stamped with: never a negative phase
    const phase = (Math.max(0, now - this.rings.newestAt) % 1000) / 1000
    m.setPaintProperty('pulses', 'circle-radius', 4 + phase * 18)
    m.setPaintProperty('pulses', 'circle-stroke-opacity', 1 - phase)
    this.pulseFrame = requestAnimationFrame(this.animate)
  }
}
