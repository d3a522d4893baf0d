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
 *
 * Two column shapes beside a plain array cut the bytes a wall parses by about a quarter more (session f, measured in
 * test/unit/live-wire.test.ts): a column of few distinct texts or flags (source, status, category, district …) goes
 * as its distinct values and each incident's index into them; an instant column (reportedAt, deadline, dispatchedAt)
 * as milliseconds after the list's earliest, when every value is the canonical ISO form it turns back into.
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

/** Always sent as plain arrays: numbers, and the ids readers take straight from the wire (tests, benches, probes). */
const PLAIN_FIELDS = ['id', 'seq', 'lon', 'lat', 'version', 'reminders'] as const satisfies readonly SummaryField[]
type PlainField = typeof PLAIN_FIELDS[number]
const INSTANT_FIELDS: ReadonlySet<SummaryField> = new Set(['reportedAt', 'deadline', 'dispatchedAt'])
const PLAIN: ReadonlySet<SummaryField> = new Set(PLAIN_FIELDS)
// below this many incidents a column is sent plain: nothing to gain
const MIN_ENCODED = 4

/** A column's distinct values, and each incident's index into them (null: the incident has no value). */
export interface DictionaryColumn<T> { values: T[], index: (number | null)[] }
/** Instants as milliseconds after `base` (null: no value); each turns back into `new Date(base + ms).toISOString()`. */
export interface InstantColumn { base: number, ms: (number | null)[] }
export type PackedColumn<T> = (T | null)[] | DictionaryColumn<T> | InstantColumn

export interface PackedSummaries {
  /** How many incidents. */
  n: number
  cols: { [K in PlainField]?: (IncidentSummary[K] | null)[] } & { [K in Exclude<SummaryField, PlainField>]?: PackedColumn<NonNullable<IncidentSummary[K]>> }
}

/** Distinct values and indexes, if the column has at most half as many distinct values as rows (else null). */
function dictionary(col: readonly unknown[]): DictionaryColumn<unknown> | null {
  const seen = new Map<unknown, number>()
  const values: unknown[] = []
  const index = new Array<number | null>(col.length)
  const limit = col.length >> 1
  for (let k = 0; k < col.length; k++) {
    const v = col[k]
    if (v === null) {
      index[k] = null
      continue
    }
    let i = seen.get(v)
    if (i === undefined) {
      if (values.length >= limit) return null
      i = values.length
      seen.set(v, i)
      values.push(v)
    }
    index[k] = i
  }
  return { values, index }
}

const DAY_MS = 86_400_000
const PAD2 = Array.from({ length: 100 }, (_, k) => String(k).padStart(2, '0'))
const PAD3 = Array.from({ length: 1000 }, (_, k) => String(k).padStart(3, '0'))

/**
 * `Date#toISOString` for a column of nearby instants: the date part once per day, the time by table lookups (three
 * times faster on Node 20 and in Chromium; toISOString took half of a wall's unpacking).
 */
function isoFormatter(): (ms: number) => string {
  let day = Number.NaN
  let prefix = ''
  return (ms) => {
    const d = Math.floor(ms / DAY_MS)
    if (d !== day) {
      const whole = new Date(d * DAY_MS).toISOString()
      prefix = whole.slice(0, whole.indexOf('T') + 1)
      day = d
    }
    let r = ms - d * DAY_MS
    const h = Math.floor(r / 3_600_000)
    r -= h * 3_600_000
    const m = Math.floor(r / 60_000)
    r -= m * 60_000
    const s = Math.floor(r / 1000)
    return `${prefix}${PAD2[h]}:${PAD2[m]}:${PAD2[s]}.${PAD3[r - s * 1000]}Z`
  }
}

/** Milliseconds after the earliest, if every value is a canonical ISO instant (else null: sent as it is). */
function instants(col: readonly unknown[]): InstantColumn | null {
  const ms = new Array<number | null>(col.length)
  const iso = isoFormatter()
  let base = Infinity
  for (let k = 0; k < col.length; k++) {
    const v = col[k]
    if (v === null) {
      ms[k] = null
      continue
    }
    const t = typeof v === 'string' ? Date.parse(v) : Number.NaN
    if (!Number.isFinite(t) || iso(t) !== v) return null
    ms[k] = t
    if (t < base) base = t
  }
  for (let k = 0; k < ms.length; k++) if (ms[k] !== null) ms[k]! -= base
  return { base: Number.isFinite(base) ? base : 0, ms }
}

function encode(f: SummaryField, col: unknown[]): unknown {
  if (PLAIN.has(f) || col.length < MIN_ENCODED) return col
  return (INSTANT_FIELDS.has(f) ? instants(col) : dictionary(col)) ?? col
}

/** A packed column's values, one per incident (null: none). */
export function columnValues<T>(col: PackedColumn<T> | undefined): (T | null)[] | undefined {
  if (col === undefined || Array.isArray(col)) return col
  if ('values' in col) return col.index.map(i => (i === null ? null : col.values[i]!))
  const iso = isoFormatter()
  return col.ms.map(m => (m === null ? null : iso(col.base + m) as T))
}

/** `brief`: without `description` (a subscriber that draws none: `scope:subscribe` `brief`). */
export function packSummaries(list: readonly IncidentSummary[], brief = false): PackedSummaries {
  const cols: Record<string, unknown> = {}
  for (const f of SUMMARY_FIELDS) {
    if (brief && f === 'description') continue
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
    if (any) cols[f] = encode(f, col)
  }
  return { n: list.length, cols: cols as PackedSummaries['cols'] }
}

export function unpackSummaries(p: PackedSummaries): IncidentSummary[] {
  const plain: Partial<Record<SummaryField, readonly unknown[]>> = {}
  for (const f of SUMMARY_FIELDS) {
    const col = columnValues((p.cols as Record<string, PackedColumn<unknown> | undefined>)[f])
    if (col) plain[f] = col
  }
  const c = plain
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
// ScopeFeed): it is packed once per form (whole, brief), not once per socket. Deltas and snapshots are never changed
// once built.
const packedDeltas = [new WeakMap<ScopeDelta, ScopeDeltaWire>(), new WeakMap<ScopeDelta, ScopeDeltaWire>()] as const
const packedSnapshots = [new WeakMap<ScopeSnapshot, ScopeSnapshotWire>(), new WeakMap<ScopeSnapshot, ScopeSnapshotWire>()] as const

export function packDelta(d: ScopeDelta, brief = false): ScopeDeltaWire {
  const cache = packedDeltas[brief ? 1 : 0]
  let w = cache.get(d)
  if (!w) {
    w = { scope: d.scope, fromSeq: d.fromSeq, toSeq: d.toSeq, incidents: packSummaries(d.incidents, brief), aggregates: d.aggregates }
    if (d.omitted !== undefined) w.omitted = d.omitted
    cache.set(d, w)
  }
  return w
}
export function unpackDelta(w: ScopeDeltaWire): ScopeDelta {
  const d: ScopeDelta = { scope: w.scope, fromSeq: w.fromSeq, toSeq: w.toSeq, incidents: unpackSummaries(w.incidents), aggregates: w.aggregates }
  if (w.omitted !== undefined) d.omitted = w.omitted
  return d
}
export function packSnapshot(s: ScopeSnapshot, brief = false): ScopeSnapshotWire {
  const cache = packedSnapshots[brief ? 1 : 0]
  let w = cache.get(s)
  if (!w) cache.set(s, w = { scope: s.scope, seq: s.seq, aggregates: s.aggregates, recent: packSummaries(s.recent, brief) })
  return w
}
export const unpackSnapshot = (w: ScopeSnapshotWire): ScopeSnapshot => ({ scope: w.scope, seq: w.seq, aggregates: w.aggregates, recent: unpackSummaries(w.recent) })

export function packSubscribeResult(r: SubscribeResult, brief = false): SubscribeResultWire {
  return r.kind === 'snapshot' ? { kind: 'snapshot', snapshot: packSnapshot(r.snapshot, brief) } : { kind: 'resumed', delta: packDelta(r.delta, brief) }
}

export function unpackSubscribeResult(w: SubscribeResultWire): SubscribeResult {
  return w.kind === 'snapshot' ? { kind: 'snapshot', snapshot: unpackSnapshot(w.snapshot) } : { kind: 'resumed', delta: unpackDelta(w.delta) }
}
