import type { PointBatch } from '../map/live-points.js'
import { onBeforeUnmount, type Ref, watch } from 'vue'
import type { Alarm } from '../../shared/alarms.js'
import type { IncidentSummary } from '../../shared/incident.js'
import type { LiveDiff } from '../live/live-diff.js'
import { MapDistricts } from '../map/map-districts.js'
import { MapMarkers } from '../map/map-markers.js'
import { MapOverlay } from '../map/map-overlay.js'
import { MapPoints } from '../map/map-points.js'
import { motion, untilCalmDraw } from '../motion.js'
import { exposeForTests } from '../test-hooks.js'
import { type MapInput, useMapLifecycle } from './useMapLifecycle.js'

export type { MapInput } from './useMapLifecycle.js'

/**
 * The live city map: one MapLibre map (useMapLifecycle) with the districts (hover, focus, choropleth), the live
 * incidents as points fed diffs (map-points.ts), cell counts and arrival rings (map-overlay.ts) and alarm markers
 * (map-markers.ts). Everything that changed between two draws goes to the map in one draw: on the next frame in full
 * motion, once a second when calm (client/motion.ts).
 */
export function useMap(container: Ref<HTMLElement | null>, input: () => MapInput | null) {
  const points = new MapPoints()
  const markers = new MapMarkers()
  const districts = new MapDistricts()
  const overlay = new MapOverlay(() => map.value, points, scheduleDraw)
  /** One pending draw: the next frame (full motion) or the next calm draw, once a second. */
  let drawTimer: { kind: 'frame' | 'timer', id: number } | null = null

  const { map, ready, error, contextLost, create } = useMapLifecycle(container, input, {
    changed: m => exposeForTests({ map: m ?? undefined, ...(m && { pushPoints: feedPoints }) }),
    loaded(m, cfg) {
      markers.addLabels(m, cfg.labels)
      districts.bind(m, cfg.onSelect)
      m.on('zoomend', () => { if (points.needsDrawAt(m.getZoom())) scheduleDraw() })
      m.on('sourcedata', (e) => { if (e.sourceId === 'overlay' && e.tile && e.isSourceLoaded) overlay.landed(m) })
    },
    reapply,
    removing: () => markers.removeAll(),
  })

  /** The style came back empty (first load, restored context): points reload whole, then diffs carry on. */
  function reapply(): void {
    points.reset()
    overlay.reset()
    cancelDraw()
    draw()
    const m = map.value
    if (!m) return
    districts.reapply(m)
    markers.reapply(m)
  }

  function scheduleDraw(): void {
    if (!ready.value || drawTimer) return
    drawTimer = motion.value === 'calm'
      ? { kind: 'timer', id: window.setTimeout(draw, untilCalmDraw()) }
      : { kind: 'frame', id: requestAnimationFrame(draw) }
  }

  function cancelDraw(): void {
    if (drawTimer?.kind === 'frame') cancelAnimationFrame(drawTimer.id)
    else if (drawTimer) window.clearTimeout(drawTimer.id)
    drawTimer = null
  }

  /** Everything that changed since the last draw goes to the map together: points, aggregate, rings, shading. */
  function draw(): void {
    drawTimer = null
    const m = map.value
    if (!m || !ready.value) return
    overlay.draw(m, points.draw(m))
  }

  /** Live changes by id (the live store's diffs): folded into the points at once, drawn with the next draw. */
  function applyDiff(diff: LiveDiff): void {
    if (points.applyDiff(diff)) scheduleDraw()
  }

  /** A compact batch from a stream instead of the live list (the map benchmark): from then on it drives the points. */
  function feedPoints(batch: PointBatch): void {
    points.feed(batch)
    scheduleDraw()
  }

  /** Choropleth: each district shaded by its share of the largest count. */
  function setChoropleth(counts: Record<string, number>, codes: readonly string[]): void {
    overlay.setChoropleth(counts, codes)
  }

  /** Rings around newly arrived incidents (critical ones red and wider). */
  function pulse(list: readonly IncidentSummary[]): void {
    if (map.value && ready.value) overlay.pulse(list)
  }

  /** Outlines one district and fits the view to it; null returns to the whole city. */
  function focusDistrict(code: string | null): void {
    const cfg = input()
    districts.setFocus(ready.value ? map.value : null, code, cfg?.shapes, cfg?.bbox)
  }

  function setAlarms(list: readonly Alarm[]): void {
    markers.setAlarms(ready.value ? map.value : null, list)
  }

  function flyTo(lon: number, lat: number, zoom = 14): void {
    map.value?.flyTo({ center: [lon, lat], zoom, essential: true })
  }

  // a new motion also changes when the next draw is due
  watch(motion, () => {
    overlay.styleRings()
    cancelDraw()
    scheduleDraw()
  })
  onBeforeUnmount(() => {
    cancelDraw()
    overlay.stop()
  })

  return { map, ready, error, contextLost, create, applyDiff, setChoropleth, setAlarms, pulse, focusDistrict, flyTo }
}
