import type { ScopeAggregates } from './aggregates.js'
import type { ScopeDelta, ScopeSnapshot, SubscribeResult } from './events.js'
import type { IncidentSummary } from './incident.js'
import type { Scope } from './scope.js'

/**
 * How the live path's incident lists travel (issue #13): as columns, one array per field, instead of one object per
 * incident. Every wall and console receives every delta, so its bytes are paid once per client: the field names
 * (about a third of an object list) go once per delta, and parsing arrays of plain values is about twice as fast.
 * A field no incident of the list has is left out; a missing value inside a column is null. The socket layer packs
 * (server/realtime) and unpacks (client/stores/live.ts); everything else sees plain `IncidentSummary` lists.
 */
export const SUMMARY_FIELDS = [
  'id', 'seq', 'source', 'category', 'severity', 'status', 'lon', 'lat', 'reportedAt', 'description', 'version',
  'department', 'deadline', 'dispatchedAt', 'reminders', 'escalated', 'duplicateOf', 'mergedInto', 'postponeRequested',
  'cell', 'community', 'street', 'district',
] as const satisfies readonly (keyof IncidentSummary)[]

type SummaryField = typeof SUMMARY_FIELDS[number]
// every field of IncidentSummary is in the list (a field added to the type and not here fails to compile)
type Missing = Exclude<keyof IncidentSummary, SummaryField>
const complete: Missing extends never ? true : Missing = true
void complete

export interface PackedSummaries {
  /** How many incidents. */
  n: number
  cols: { [K in SummaryField]?: (IncidentSummary[K] | null)[] }
}

export function packSummaries(list: readonly IncidentSummary[]): PackedSummaries {
  const cols: PackedSummaries['cols'] = {}
  for (const f of SUMMARY_FIELDS) {
    let any = false
    const col = new Array<unknown>(list.length)
    for (let k = 0; k < list.length; k++) {
      const v = list[k]![f]
      if (v === undefined) col[k] = null
      else {
        col[k] = v
        any = true
      }
    }
    if (any) (cols as Record<string, unknown[]>)[f] = col
  }
  return { n: list.length, cols }
}

export function unpackSummaries(p: PackedSummaries): IncidentSummary[] {
  const c = p.cols
  // `never`: each column holds its own field's values (packSummaries wrote them), which the type of `cols` cannot tie
  // to the literal's fields one by one
  const at = (col: readonly unknown[] | undefined, k: number): never => (col === undefined ? undefined : col[k] ?? undefined) as never
  const out = new Array<IncidentSummary>(p.n)
  // one object literal with every field in one order: every incident gets the same shape (a missing value is an
  // undefined property, which JSON and every reader treat as absent) — a third faster than adding fields one by one
  for (let k = 0; k < p.n; k++) {
    out[k] = {
      id: at(c.id, k), seq: at(c.seq, k), source: at(c.source, k), category: at(c.category, k), severity: at(c.severity, k),
      status: at(c.status, k), lon: at(c.lon, k), lat: at(c.lat, k), reportedAt: at(c.reportedAt, k), description: at(c.description, k),
      version: at(c.version, k), department: at(c.department, k), deadline: at(c.deadline, k), dispatchedAt: at(c.dispatchedAt, k),
      reminders: at(c.reminders, k), escalated: at(c.escalated, k), duplicateOf: at(c.duplicateOf, k), mergedInto: at(c.mergedInto, k),
      postponeRequested: at(c.postponeRequested, k), cell: at(c.cell, k), community: at(c.community, k), street: at(c.street, k),
      district: at(c.district, k),
    }
  }
  return out
}

/** The ids of a packed list, without unpacking it. */
export function packedIds(p: PackedSummaries): string[] {
  return (p.cols.id ?? []) as string[]
}

/** `scope:delta` and `scope:snapshot` as sent; `ScopeDelta`/`ScopeSnapshot` (shared/events.ts) as applied. */
export interface ScopeDeltaWire { scope: Scope, fromSeq: number, toSeq: number, incidents: PackedSummaries, aggregates: ScopeAggregates, omitted?: number }
export interface ScopeSnapshotWire { scope: Scope, seq: number, aggregates: ScopeAggregates, recent: PackedSummaries }

export type SubscribeResultWire = { kind: 'snapshot', snapshot: ScopeSnapshotWire } | { kind: 'resumed', delta: ScopeDeltaWire }

// A catch-up delta or snapshot is one object shared by every subscriber resyncing from the same seq (the server's
// ScopeFeed): it is packed once, not once per socket. Deltas and snapshots are never changed once built.
const packedDeltas = new WeakMap<ScopeDelta, ScopeDeltaWire>()
const packedSnapshots = new WeakMap<ScopeSnapshot, ScopeSnapshotWire>()

export function packDelta(d: ScopeDelta): ScopeDeltaWire {
  let w = packedDeltas.get(d)
  if (!w) {
    w = { scope: d.scope, fromSeq: d.fromSeq, toSeq: d.toSeq, incidents: packSummaries(d.incidents), aggregates: d.aggregates }
    if (d.omitted !== undefined) w.omitted = d.omitted
    packedDeltas.set(d, w)
  }
  return w
}
export function unpackDelta(w: ScopeDeltaWire): ScopeDelta {
  const d: ScopeDelta = { scope: w.scope, fromSeq: w.fromSeq, toSeq: w.toSeq, incidents: unpackSummaries(w.incidents), aggregates: w.aggregates }
  if (w.omitted !== undefined) d.omitted = w.omitted
  return d
}
export function packSnapshot(s: ScopeSnapshot): ScopeSnapshotWire {
  let w = packedSnapshots.get(s)
  if (!w) packedSnapshots.set(s, w = { scope: s.scope, seq: s.seq, aggregates: s.aggregates, recent: packSummaries(s.recent) })
  return w
}
export const unpackSnapshot = (w: ScopeSnapshotWire): ScopeSnapshot => ({ scope: w.scope, seq: w.seq, aggregates: w.aggregates, recent: unpackSummaries(w.recent) })

export function packSubscribeResult(r: SubscribeResult): SubscribeResultWire {
  return r.kind === 'snapshot' ? { kind: 'snapshot', snapshot: packSnapshot(r.snapshot) } : { kind: 'resumed', delta: packDelta(r.delta) }
}

export function unpackSubscribeResult(w: SubscribeResultWire): SubscribeResult {
  return w.kind === 'snapshot' ? { kind: 'snapshot', snapshot: unpackSnapshot(w.snapshot) } : { kind: 'resumed', delta: unpackDelta(w.delta) }
}
