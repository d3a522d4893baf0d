import { cellToLatLng, latLngToCell } from 'h3-js'
import { SEVERITIES } from '../../shared/enums.js'

/**
 * Compact live points: ids with parallel coordinate and severity arrays — what a socket message carries instead of
 * GeoJSON (a tenth of the bytes, no per-point objects to parse).
 */
export interface PointBatch {
  ids: readonly string[]
  lon: ArrayLike<number>
  lat: ArrayLike<number>
  /** Index into SEVERITIES (shared/enums.ts). */
  severity: ArrayLike<number>
  removed?: readonly string[]
}

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

const feature = (id: string, p: Point): GeoJSON.Feature => ({ type: 'Feature', id, properties: { severity: SEVERITIES[p.sev] }, geometry: { type: 'Point', coordinates: [p.lon, p.lat] } })

/** What the map's source has not been told yet, per id (changes since the last `takeDiff` fold into one). */
type Pending = 'add' | 'update' | 'remove'

/**
 * The points a map shows, kept by id. Batches fold into one pending change per id, taken as a diff for MapLibre's
 * `updateData` when the map next draws (only what changed crosses to the worker, however many batches came in
 * between), and update per-cell counts for the aggregate layer shown at city zoom, where 100,000 individual points
 * would be unreadable and slow.
 */
export class LivePoints {
  private readonly points = new Map<string, Point>()
  private readonly cells = new Map<string, number>()
  private readonly pending = new Map<string, Pending>()
  /** Bumped whenever a cell count changes: the aggregate layer is redrawn only then. */
  cellsVersion = 0

  get size(): number {
    return this.points.size
  }

  /** Changes not taken yet. */
  get pendingCount(): number {
    return this.pending.size
  }

  apply(batch: PointBatch): void {
    for (const id of batch.removed ?? []) {
      const old = this.points.get(id)
      if (!old) continue
      this.points.delete(id)
      this.count(old.cell, -1)
      // added and removed before the source heard of it: nothing to tell
      if (this.pending.get(id) === 'add') this.pending.delete(id)
      else this.pending.set(id, 'remove')
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
        // removed earlier in this batch window: the source still holds the old feature
        this.pending.set(id, this.pending.get(id) === 'remove' ? 'update' : 'add')
        continue
      }
      if (old.cell !== p.cell) {
        this.count(old.cell, -1)
        this.count(p.cell, 1)
      }
      if ((moved || old.sev !== p.sev) && !this.pending.has(id)) this.pending.set(id, 'update')
    }
  }

  /** The pending changes as one `updateData` diff (the points' current state), and forgets them. */
  takeDiff(): PointDiff {
    const diff: PointDiff = { add: [], update: [], remove: [] }
    for (const [id, kind] of this.pending) {
      const p = this.points.get(id)
      if (kind === 'remove' || !p) diff.remove.push(id)
      else if (kind === 'add') diff.add.push(feature(id, p))
      else diff.update.push({ id, newGeometry: { type: 'Point', coordinates: [p.lon, p.lat] }, addOrUpdateProperties: [{ key: 'severity', value: SEVERITIES[p.sev] }] })
    }
    this.pending.clear()
    return diff
  }

  /** Forgets the pending changes (the source is about to be reloaded whole from `allFeatures`). */
  dropPending(): void {
    this.pending.clear()
  }

  /** Every point, for a full reload of the source (after a WebGL context loss). */
  allFeatures(): GeoJSON.FeatureCollection {
    return { type: 'FeatureCollection', features: [...this.points].map(([id, p]) => feature(id, p)) }
  }

  /** The aggregate: one feature per non-empty cell at its centre, with the count of points in it. */
  cellFeatures(): GeoJSON.FeatureCollection {
    const features: GeoJSON.Feature[] = []
    for (const [cell, count] of this.cells) {
      const [lat, lon] = cellToLatLng(cell)
      features.push({ type: 'Feature', properties: { kind: 'cell', count }, geometry: { type: 'Point', coordinates: [lon, lat] } })
    }
    return { type: 'FeatureCollection', features }
  }

  private count(cell: string, delta: number): void {
    this.cellsVersion += 1
    const n = (this.cells.get(cell) ?? 0) + delta
    if (n > 0) this.cells.set(cell, n)
    else this.cells.delete(cell)
  }
}
