import { cellToLatLng, latLngToCell } from 'h3-js'

/**
 * Compact live points: ids with parallel coordinate and severity arrays — what a socket message carries instead of
 * GeoJSON (a tenth of the bytes, no per-point objects to parse).
 */
export interface PointBatch {
  ids: readonly string[]
  lon: ArrayLike<number>
  lat: ArrayLike<number>
  /** Index into SEVERITY_CODES. */
  severity: ArrayLike<number>
  removed?: readonly string[]
}

export const SEVERITY_CODES = ['low', 'normal', 'high', 'critical'] as const
/** H3 resolution of the city-zoom aggregate (~5 km² cells). */
export const AGGREGATE_RES = 7
/** Individual points show from this zoom on; below it, the aggregate. */
export const AGGREGATE_MAX_ZOOM = 11

interface Point { lon: number, lat: number, sev: number, cell: string }

export interface PointDiff {
  add: GeoJSON.Feature[]
  update: { id: string, newGeometry?: GeoJSON.Point, addOrUpdateProperties?: { key: string, value: unknown }[] }[]
  remove: string[]
}

const feature = (id: string, p: Point): GeoJSON.Feature => ({ type: 'Feature', id, properties: { severity: SEVERITY_CODES[p.sev] }, geometry: { type: 'Point', coordinates: [p.lon, p.lat] } })

/**
 * The points a map shows, kept by id: each batch becomes a diff for MapLibre's `updateData` (only what changed
 * crosses to the worker) and updates per-cell counts for the aggregate layer shown at city zoom, where 100,000
 * individual points would be unreadable and slow.
 */
export class LivePoints {
  private readonly points = new Map<string, Point>()
  private readonly cells = new Map<string, number>()

  get size(): number {
    return this.points.size
  }

  apply(batch: PointBatch): PointDiff {
    const diff: PointDiff = { add: [], update: [], remove: [] }
    for (const id of batch.removed ?? []) {
      const old = this.points.get(id)
      if (!old) continue
      this.points.delete(id)
      this.count(old.cell, -1)
      diff.remove.push(id)
    }
    for (let k = 0; k < batch.ids.length; k++) {
      const id = batch.ids[k]!
      const p: Point = { lon: batch.lon[k]!, lat: batch.lat[k]!, sev: batch.severity[k]!, cell: '' }
      const old = this.points.get(id)
      const moved = !old || old.lon !== p.lon || old.lat !== p.lat
      p.cell = moved ? latLngToCell(p.lat, p.lon, AGGREGATE_RES) : old.cell
      this.points.set(id, p)
      if (!old) {
        this.count(p.cell, 1)
        diff.add.push(feature(id, p))
        continue
      }
      if (old.cell !== p.cell) {
        this.count(old.cell, -1)
        this.count(p.cell, 1)
      }
      if (moved || old.sev !== p.sev) {
        diff.update.push({
          id,
          ...(moved && { newGeometry: { type: 'Point', coordinates: [p.lon, p.lat] } }),
          ...(old.sev !== p.sev && { addOrUpdateProperties: [{ key: 'severity', value: SEVERITY_CODES[p.sev] }] }),
        })
      }
    }
    return diff
  }

  /** Every point, for a full reload of the source (after a WebGL context loss). */
  allFeatures(): GeoJSON.FeatureCollection {
    return { type: 'FeatureCollection', features: [...this.points].map(([id, p]) => feature(id, p)) }
  }

  /** The ids not in `keep` (what a full list leaves out since the last one). */
  missingFrom(keep: ReadonlySet<string>): string[] {
    return [...this.points.keys()].filter(id => !keep.has(id))
  }

  /** The aggregate: one feature per non-empty cell at its centre, with the count of points in it. */
  cellFeatures(): GeoJSON.FeatureCollection {
    const features: GeoJSON.Feature[] = []
    for (const [cell, count] of this.cells) {
      const [lat, lon] = cellToLatLng(cell)
      features.push({ type: 'Feature', properties: { count }, geometry: { type: 'Point', coordinates: [lon, lat] } })
    }
    return { type: 'FeatureCollection', features }
  }

  private count(cell: string, delta: number): void {
    const n = (this.cells.get(cell) ?? 0) + delta
    if (n > 0) this.cells.set(cell, n)
    else this.cells.delete(cell)
  }
}
