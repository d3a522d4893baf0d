import type { IncidentSummary } from '../../shared/incident.js'

/**
 * What changed in a scope's live list between two states, by id: what consumers that keep their own copy (the map's
 * points, an open case) apply instead of comparing lists. `arrivals` are fresh reports first seen in the deltas
 * applied (the map pulses them); never anything from a snapshot, so a (re)load does not pulse the whole city.
 */
export interface LiveDiff {
  added: IncidentSummary[]
  updated: IncidentSummary[]
  removed: string[]
  arrivals: IncidentSummary[]
}

export const EMPTY_DIFF: LiveDiff = Object.freeze({ added: [], updated: [], removed: [], arrivals: [] }) as unknown as LiveDiff

export function isEmptyDiff(d: LiveDiff): boolean {
  return d.added.length === 0 && d.updated.length === 0 && d.removed.length === 0
}

/**
 * The diff from `before` to `after` (both capped lists of one scope). `touched` are the summaries the deltas applied,
 * latest per id: an id in both lists is updated only if touched, so nothing but the deltas is compared. Without
 * `touched` (a snapshot replaced the list) an id in both is updated when its seq differs.
 */
export function diffLists(before: readonly IncidentSummary[], after: readonly IncidentSummary[], touched?: ReadonlyMap<string, IncidentSummary>): LiveDiff {
  const held = new Map(before.map(i => [i.id, i.seq]))
  const kept = new Set<string>()
  const diff: LiveDiff = { added: [], updated: [], removed: [], arrivals: [] }
  for (const i of after) {
    kept.add(i.id)
    const was = held.get(i.id)
    if (was === undefined) {
      diff.added.push(i)
      if (touched?.has(i.id) && i.status === 'reported') diff.arrivals.push(i)
    } else if (touched ? touched.has(i.id) : was !== i.seq) {
      diff.updated.push(i)
    }
  }
  for (const i of before) if (!kept.has(i.id)) diff.removed.push(i.id)
  return diff
}
