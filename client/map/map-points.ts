import type * as maplibregl from 'maplibre-gl'
import type { IncidentSummary } from '../../shared/incident.js'
import type { LiveDiff } from '../live/live-diff.js'
import { SEVERITIES } from '../../shared/enums.js'
import { AGGREGATE_MAX_ZOOM, LivePoints, type PointBatch } from './live-points.js'

/** Above this many points the city view shows per-cell counts instead of dots. */
const AGGREGATE_FROM = 5000
/** Below the aggregate's zoom the individual points' source is left alone (nothing shows it) and reloaded on zoom-in. */
const POINTS_FROM_ZOOM = AGGREGATE_MAX_ZOOM - 1

const severityIndex = (s: string) => Math.max(0, SEVERITIES.indexOf(s as typeof SEVERITIES[number]))

/** A live diff as a compact batch: what changed, by id, never the whole list. */
export function batchOf(diff: Pick<LiveDiff, 'added' | 'updated' | 'removed'>): PointBatch {
  const list: IncidentSummary[] = [...diff.added, ...diff.updated]
  return { ids: list.map(i => i.id), lon: list.map(i => i.lon), lat: list.map(i => i.lat), severity: list.map(i => severityIndex(i.severity)), removed: diff.removed }
}

/**
 * The map's incident points, fed diffs (the live feed's, or a compact stream's): they fold into LivePoints at once
 * and reach MapLibre's source at the next draw, as an `updateData` diff.
 */
export class MapPoints {
  readonly points = new LivePoints()
  /** Per-cell counts are shown instead of dots (more than AGGREGATE_FROM points). */
  aggregated = false
  /** The source missed changes while hidden at city zoom (or the style was reloaded): reload it whole when shown. */
  private stale = false
  /** A compact stream (the map benchmark) drives the points: live diffs no longer do. */
  private external = false

  /** A live diff; false when ignored (an external stream drives the points). */
  applyDiff(diff: LiveDiff): boolean {
    if (this.external) return false
    this.points.apply(batchOf(diff))
    return true
  }

  /** Points from a compact stream instead of the live list, from the first batch on. */
  feed(batch: PointBatch): void {
    this.external = true
    this.points.apply(batch)
  }

  /** The style came back empty (load, restored context): reload every point at the next draw, then diffs again. */
  reset(): void {
    this.stale = true
    this.aggregated = false
  }

  /** The zoom changed: a source left stale at city zoom must be reloaded when points show again. */
  needsDrawAt(zoom: number): boolean {
    return this.stale && zoom >= POINTS_FROM_ZOOM
  }

  /**
   * The points as a diff (`updateData`: only changed points cross to the worker). Above AGGREGATE_FROM points the
   * city-zoom view shows per-cell counts; the individual points' source is then updated only when zoomed in far
   * enough to show them, so 100,000 moving points cost the worker nothing at city zoom. True if the aggregate
   * was switched on or off.
   */
  draw(m: maplibregl.Map): boolean {
    const source = m.getSource<maplibregl.GeoJSONSource>('incidents')
    if (!source) return false
    const { points } = this
    const aggregate = points.size > AGGREGATE_FROM
    const toggled = aggregate !== this.aggregated
    if (toggled) {
      this.aggregated = aggregate
      m.setLayerZoomRange('incidents', aggregate ? AGGREGATE_MAX_ZOOM : 0, 24)
      m.setLayoutProperty('incident-cells', 'visibility', aggregate ? 'visible' : 'none')
    }
    if (aggregate && m.getZoom() < POINTS_FROM_ZOOM) {
      if (points.pendingCount > 0) {
        points.dropPending()
        this.stale = true
      }
    } else if (this.stale) {
      points.dropPending()
      this.stale = false
      void source.setData(points.allFeatures())
    } else if (points.pendingCount > 0) {
      source.updateData(points.takeDiff())
    }
    return toggled
  }
}
