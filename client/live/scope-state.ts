import type { ScopeAggregates } from '../../shared/aggregates.js'
import type { ScopeDelta, ScopeSnapshot } from '../../shared/events.js'
import type { IncidentSummary } from '../../shared/incident.js'
import type { Scope } from '../../shared/scope.js'

/** What a client holds for one scope. Replaced, never mutated, so a shallowRef can hold it. */
export interface ScopeState {
  scope: Scope
  /** Last sequence number applied. */
  seq: number
  aggregates: ScopeAggregates
  /** Newest change first, at most `cap`. */
  incidents: IncidentSummary[]
}

/** `applied`: the delta's incidents that were newer than what was held (what changed). */
export type DeltaOutcome = { kind: 'applied', state: ScopeState, applied: IncidentSummary[] } | { kind: 'gap', missedFrom: number } | { kind: 'ignored' }

export function fromSnapshot(s: ScopeSnapshot, cap: number): ScopeState {
  return { scope: s.scope, seq: s.seq, aggregates: s.aggregates, incidents: [...s.recent].sort((a, b) => b.seq - a.seq).slice(0, cap) }
}

/**
 * The live path's one continuity rule (the server's half is in server/realtime/delta-publisher.ts): a delta covers
 * the changes in (fromSeq - 1, toSeq]. Starting at or before `seq + 1` it continues what the holder has; starting
 * past it, changes were missed (the server overflowed, or a push was lost) and the holder must resync: resubscribe
 * with `sinceSeq` or reload.
 */
export function continues(seq: number, delta: Pick<ScopeDelta, 'fromSeq'>): boolean {
  return delta.fromSeq <= seq + 1
}

/**
 * Applies a delta: contiguous or overlapping ranges are applied (incidents upserted by id unless what is held is
 * newer, aggregates replaced); a range starting past `seq + 1` means something was missed, so the caller must
 * resubscribe with `sinceSeq`.
 */
export function applyDelta(state: ScopeState, delta: ScopeDelta, cap: number): DeltaOutcome {
  if (delta.scope !== state.scope) return { kind: 'ignored' }
  if (!continues(state.seq, delta)) return { kind: 'gap', missedFrom: state.seq + 1 }
  if (delta.toSeq <= state.seq && delta.incidents.length === 0) return { kind: 'ignored' }
  // an overlapping delta (buffered during a resync) may carry an older state of a case than the one held
  const held = new Map(state.incidents.map(i => [i.id, i.seq]))
  const changed = new Map(delta.incidents.filter(i => (held.get(i.id) ?? -1) <= i.seq).map(i => [i.id, i]))
  const kept = state.incidents.filter(i => !changed.has(i.id))
  const fresh = [...changed.values()].sort((a, b) => b.seq - a.seq)
  return {
    kind: 'applied',
    state: {
      scope: state.scope,
      seq: Math.max(state.seq, delta.toSeq),
      aggregates: delta.toSeq >= state.seq ? delta.aggregates : state.aggregates,
      incidents: [...fresh, ...kept].sort((a, b) => b.seq - a.seq).slice(0, cap),
    },
    applied: fresh,
  }
}

/**
 * The outcome of several deltas: `touched` holds the latest summary per id that any of them applied; `taken` counts
 * the deltas before a gap (all of them without one).
 */
export interface DeltasOutcome { state: ScopeState, changed: boolean, gap: boolean, touched: Map<string, IncidentSummary>, taken: number }

/**
 * Several deltas in order (a paced wall applies a second's worth at once): the state after the last one that
 * applied, whether anything changed, and whether a gap stopped the run (the caller then resubscribes from `state`).
 */
export function applyDeltas(state: ScopeState, deltas: readonly ScopeDelta[], cap: number): DeltasOutcome {
  let next = state
  let changed = false
  const touched = new Map<string, IncidentSummary>()
  for (const [k, delta] of deltas.entries()) {
    const outcome = applyDelta(next, delta, cap)
    if (outcome.kind === 'gap') return { state: next, changed, gap: true, touched, taken: k }
    if (outcome.kind === 'applied') {
      next = outcome.state
      changed = true
      for (const i of outcome.applied) touched.set(i.id, i)
    }
  }
  return { state: next, changed, gap: false, touched, taken: deltas.length }
}
