import type { ScopeDelta } from '../../shared/events.js'

/**
 * A delta for a subscriber that keeps only its `keep` newest changed incidents (a wall): the newest `keep` of the
 * delta's incidents, the rest counted in `omitted`. The range stays the delta's: the omitted ones are older than every
 * one carried (the publisher's pending list and the store's catch-up are both in change order, oldest first), so a
 * holder of `keep` that applied the whole delta would have dropped them: it ends in the same state
 * (test/unit/keep-newest.test.ts). One object per delta and `keep`, so every such subscriber shares one packing.
 */
export function keepNewest(delta: ScopeDelta, keep: number): ScopeDelta {
  const extra = delta.incidents.length - keep
  if (extra <= 0) return delta
  let byKeep = trimmed.get(delta)
  if (!byKeep) trimmed.set(delta, byKeep = new Map())
  let d = byKeep.get(keep)
  if (!d) byKeep.set(keep, d = { ...delta, incidents: delta.incidents.slice(extra), omitted: (delta.omitted ?? 0) + extra })
  return d
}

const trimmed = new WeakMap<ScopeDelta, Map<number, ScopeDelta>>()
