import type { GreenwayChange } from '../../shared/schemas/greenway.js'
import type { CoverageModel } from './coverage/coverage-model.js'

/** What a change is about: one segment or one facility (the latest `at` per target wins). */
export const targetOf = (c: GreenwayChange) => (c.kind === 'segment-status' ? `segment:${c.segment}` : c.kind === 'facility-status' ? `facility:${c.facility}` : `facility:${c.facility.id}`)

/** Why a change cannot be taken (naming its field), or null. `addedInBatch`: facilities an earlier change of the same batch adds. */
export function changeProblem(model: CoverageModel, c: GreenwayChange, addedInBatch: Set<string>, city: { name: string, contains: (lon: number, lat: number) => boolean }): string | null {
  switch (c.kind) {
    case 'segment-status':
      return model.hasSegment(c.segment) ? null : `segment: no greenway segment "${c.segment}"`
    case 'facility-status':
      return model.hasFacility(c.facility) || addedInBatch.has(c.facility) ? null : `facility: no facility "${c.facility}"`
    case 'facility-added':
      if (model.hasFacility(c.facility.id) || addedInBatch.has(c.facility.id)) return `facility.id: facility "${c.facility.id}" exists`
      return city.contains(c.facility.lon, c.facility.lat) ? null : `facility.lon/lat: point (${c.facility.lon}, ${c.facility.lat}) is outside ${city.name}`
  }
}

/**
 * Applies one change unless a later one (by `at`) already set its segment or facility (`appliedAt`: target → the
 * latest applied instant, updated here). True if coverage data changed.
 */
export function applyLatest(model: CoverageModel, c: GreenwayChange, appliedAt: Map<string, number>): boolean {
  const target = targetOf(c)
  const atMs = Date.parse(c.at)
  if ((appliedAt.get(target) ?? -Infinity) > atMs) return false
  appliedAt.set(target, atMs)
  switch (c.kind) {
    case 'segment-status': return model.setSegmentStatus(c.segment, c.status)
    case 'facility-status': return model.setFacilityStatus(c.facility, c.status)
    case 'facility-added':
      if (model.hasFacility(c.facility.id)) return false
      model.addFacility({ ...c.facility })
      return true
  }
}
