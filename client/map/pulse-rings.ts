import type { IncidentSummary } from '../../shared/incident.js'

export const PULSE_MS = 2000
const MAX_RINGS = 200

/**
 * Rings around fresh arrivals (critical ones distinct by colour and width), each shown for PULSE_MS. The map redraws
 * the rings' source only when the set changes (`changed`), not every frame; the animation itself is two paint
 * properties (see useMap).
 */
export class PulseRings {
  private readonly rings: { at: number, feature: GeoJSON.Feature }[] = []
  private dirty = false

  get size(): number {
    return this.rings.length
  }

  /** Newest ring's start, for the shared animation phase. */
  get newestAt(): number {
    return this.rings.at(-1)?.at ?? 0
  }

  add(list: readonly IncidentSummary[], now: number): void {
    for (const i of list.slice(0, MAX_RINGS)) {
      this.rings.push({ at: now, feature: { type: 'Feature', properties: { kind: 'ring', severity: i.severity }, geometry: { type: 'Point', coordinates: [i.lon, i.lat] } } })
    }
    if (this.rings.length > MAX_RINGS) this.rings.splice(0, this.rings.length - MAX_RINGS)
    if (list.length > 0) this.dirty = true
  }

  /** Drops rings older than PULSE_MS; true if the set changed since the last `take`. */
  expire(now: number): boolean {
    while (this.rings.length > 0 && now - this.rings[0]!.at > PULSE_MS) {
      this.rings.shift()
      this.dirty = true
    }
    return this.dirty
  }

  /** The rings as the source's data, and the change flag cleared. */
  take(): GeoJSON.FeatureCollection {
    this.dirty = false
    return { type: 'FeatureCollection', features: this.rings.map(r => r.feature) }
  }

  clear(): void {
    this.rings.length = 0
    this.dirty = true
  }
}
