/**
 * The Socket.IO contract: the only place events are declared. Both `new Server<…>` and the client's `io<…>` use it.
 * Requests are imperative (`scope:subscribe`), pushes past tense or nouns of state (`scope:delta`).
 */
import type { ScopeAggregates } from './aggregates.js'
import type { Alarm, AlarmAck, AlarmResolved } from './alarms.js'
import type { CoveragePush, FootfallState, GreenwaySnapshot } from './greenway/types.js'
import type { IncidentSummary } from './incident.js'
import type { ErrorDetail } from './schemas/errors.js'
import type { ScopeDeltaWire, ScopeSnapshotWire, SubscribeResultWire } from './live-wire.js'
import type { Scope } from './scope.js'

export type Ack<T> = { ok: true, data: T } | { ok: false, error: string, details?: ErrorDetail[] }

export interface SubscribeRequest {
  scope: string
  /** Last sequence number the client applied for this scope; the server resumes after it if it can. */
  sinceSeq?: number
  /**
   * The subscriber keeps only the newest `keep` changed incidents (a wall's live store: LIVE_KEEP). Its deltas then
   * carry at most that many, the newest, and count the rest in `omitted`: they are older than every one carried, so a
   * holder of `keep` would have dropped them anyway and ends in the same state. 1 to MAX_KEEP; absent: every change.
   */
  keep?: number
  /**
   * The subscriber draws no description (a wall: its rows are compact): its incident lists leave `description` out,
   * a third of a delta's bytes and most of the text a wall would decode. Absent or false: every field.
   */
  brief?: boolean
  /**
   * false: no alarm pushes for this scope (a wall shows none: at a quarter critical and 2,000 reports a second they
   * were 500 alarms a second to every wall). Absent or true: `alarm:raised` / `acked` / `resolved` are pushed.
   */
  alarms?: boolean
}

/** How many changed incidents a client's live store keeps (newest first): the wall subscribes with `keep` = this. */
export const LIVE_KEEP = 500
/**
 * The most changed incidents a delta carries (the publisher's pending cap per scope: beyond it the oldest are dropped
 * and the delta opens a gap), and so the largest `keep` a subscriber may ask for.
 */
export const MAX_KEEP = 2000

export interface ScopeSnapshot {
  scope: Scope
  /** Every change up to and including this sequence number is reflected. */
  seq: number
  aggregates: ScopeAggregates
  /** Latest incidents in the scope, newest first. */
  recent: IncidentSummary[]
}

/**
 * Changes in (fromSeq - 1, toSeq]: `fromSeq - 1` is the continuity field, the seq up to which this scope's stream
 * was complete before this delta. The server never claims a range it does not carry in full (on overflow it starts
 * `fromSeq` after the changes it dropped), so a client whose last applied seq is below fromSeq - 1 has missed
 * something and must resubscribe with `sinceSeq` (docs/ARCHITECTURE.md, "The live-path guarantee").
 * `aggregates` replaces the client's aggregates wholesale, so coalescing deltas loses nothing.
 */
export interface ScopeDelta {
  scope: Scope
  fromSeq: number
  toSeq: number
  incidents: IncidentSummary[]
  aggregates: ScopeAggregates
  /** Only to a subscriber with `keep`: incidents changed in the range but not carried, all older than those carried. */
  omitted?: number
}

/** `incident:act`: a workflow action on one case (see shared/schemas/case-action.ts), answered after commit. */
export interface ActRequest {
  id: string
  action: string
  version: number
  /** Ignored: the step is recorded under the socket's logged-in user (issue #14). */
  actor?: string
  note?: string
  reason?: string
  department?: string
  deadline?: string
  into?: string
  satisfied?: boolean
}

export type ActResult =
  | { ok: true, data: IncidentSummary }
  | { ok: false, status: 400 | 401 | 403 | 404 | 409, error: string, details?: ErrorDetail[], current?: IncidentSummary, allowed?: string[] }

export type SubscribeResult =
  | { kind: 'snapshot', snapshot: ScopeSnapshot }
  | { kind: 'resumed', delta: ScopeDelta }

export interface ServerToClientEvents {
  /** A fresh snapshot, sent when a client fell too far behind to be caught up with a delta. */
  'scope:snapshot': (snapshot: ScopeSnapshotWire) => void
  'scope:delta': (delta: ScopeDeltaWire) => void
  /**
   * Alarms raised in one of the socket's scopes, kept on the server until acknowledged. Batched like deltas: at most
   * one push of each alarm kind per room every DELTA_INTERVAL_MS; a socket in two rooms of a place may hear of an
   * alarm twice (keep them by id).
   */
  'alarm:raised': (alarms: Alarm[]) => void
  /** Someone acknowledged these alarms: every console drops them. */
  'alarm:acked': (acks: AlarmAck[]) => void
  /** Devices' 设备离线 alarms closed themselves (the devices were heard again): every console drops them. */
  'alarm:resolved': (resolved: AlarmResolved[]) => void
  /** Greenway coverage changed (segment status, facility opened, data reloaded): at most one per COVERAGE_PUSH_MS. */
  'greenway:coverage': (push: CoveragePush) => void
  /** The live footfall state, whole (volatile: a slow client skips states), at most one per FOOTFALL_PUSH_MS. */
  'footfall:updated': (state: FootfallState) => void
}

export interface ClientToServerEvents {
  'scope:subscribe': (req: SubscribeRequest, ack: (res: Ack<SubscribeResultWire>) => void) => void
  'scope:unsubscribe': (req: { scope: string }, ack: (res: Ack<null>) => void) => void
  'incident:act': (req: ActRequest, ack: (res: ActResult) => void) => void
  /** Unacknowledged alarms of a scope the socket subscribed to (re-sync after a reconnect). */
  'alarm:list': (req: { scope: string }, ack: (res: Ack<Alarm[]>) => void) => void
  'alarm:ack': (req: { id: number, /** ignored: recorded under the socket's user */ actor?: string }, ack: (res: Ack<Alarm>) => void) => void
  /** Join the greenway room: the ack carries a snapshot, then `greenway:coverage` and `footfall:updated` follow. */
  'greenway:subscribe': (req: Record<string, never>, ack: (res: Ack<GreenwaySnapshot>) => void) => void
  'greenway:unsubscribe': (req: Record<string, never>, ack: (res: Ack<null>) => void) => void
}

/**
 * Deltas are batched: at most one per scope per this interval (10 Hz, the top of the 4–10 Hz band for batched pushes).
 * Was 250 ms: a change then waited 125 ms on average for its delta, most of the console's publish → painted time.
 * `npm run bench -- control-room` at 10 Hz still meets every target (docs/BENCHMARKS.md, session h).
 */
export const DELTA_INTERVAL_MS = 100
