/**
 * What the control-room bench's parent and its load processes say to each other (child_process.fork, advanced
 * serialisation, so typed arrays pass as they are). Every load runs in its own process; the parent only starts,
 * stops and joins.
 */
import type { Credentials } from './credentials.js'

export type LoadKind = 'ingest' | 'sockets' | 'operators' | 'analysts' | 'queue' | 'health'

/** Everything a load needs, sent once at its start. */
export interface LoadConfig {
  kind: LoadKind
  url: string
  credentials: Credentials
  /** Bench events carry ids `${eventPrefix}${index}`: the socket loads map them back to the ingest's send times. */
  eventPrefix: string
  /** How many event indexes a phase may use (ingest rate × seconds, with room). */
  eventCapacity: number
  /** ingest: events per second; sockets: how many clients in this process; operators/analysts/queue: how many. */
  rate: number
  count: number
  /** A request unanswered this long counts as unanswered (and at this latency). */
  timeoutMs: number
  /** sockets: how long to keep listening after the stop, for deltas still on their way. */
  drainMs: number
  /** analysts: each keeps answers as a browser does, for their Cache-Control max-age (off: every turn asks). */
  browserCache: boolean
}

/** Latencies and outcomes of one kind of request, as the load measured them. */
export interface KindFigures {
  latencies: number[]
  /** HTTP status (or 'timeout', 'network <code>') → count. */
  outcomes: Record<string, number>
}

/** The ingest's per-event record: when its batch was POSTed (epoch ms) and what became of it. */
export const EVENT_STATE = { unsent: 0, pending: 1, stored: 2, notStored: 3, refused: 4, failed: 5, unanswered: 6 } as const

export interface IngestExtra { sentAt: Float64Array, state: Uint8Array, sent: number }
/** Sockets: per event, how many clients got it and the first and last arrival (epoch ms). */
export interface SocketsExtra {
  seenBy: Uint16Array, first: Float64Array, last: Float64Array
  /** Clients asked for, and those that connected and subscribed before the phase (the rest are left out). */
  requested: number, clients: number, disconnected: number, disconnectReasons: Record<string, number>
  /** Clients that were told of a gap (a delta starting past their seq, or a snapshot after the first). */
  gapClients: number, gaps: number, snapshots: number, deltas: number, deltaIncidents: number
  /** Per client: did it see a gap? (lets the parent tell signalled misses from silent ones) */
  clientHadGap: Uint8Array
  /** Per event: how many clients that never saw a gap missed it. */
  missedSilently: Uint16Array
  /** Event copies a wall counted as delivered because a trimmed delta brought newer state instead (see sockets.ts). */
  superseded: number
}
export interface HealthExtra { loopP99Ms: number[], loopCurrentMs: number[], loopMaxMs: number[] }
export interface QueueExtra { walkMs: number[], walkCases: number[] }

export interface LoadResult {
  kind: LoadKind
  kinds: Record<string, KindFigures>
  ingest?: IngestExtra
  sockets?: SocketsExtra
  health?: HealthExtra
  queue?: QueueExtra
  /** Anything the load wants said (e.g. "no open cases to act on"). */
  notes: string[]
  /**
   * How late this load process's own event loop ran while measuring (ms). Its latencies include that wait: a
   * response that arrived while the process was busy is timed when the process gets to it. Clients of a real control
   * room run on their own machines; here they share the server's two cores.
   */
  ownLoop: { p99Ms: number, maxMs: number }
}

/** `start`: the loads run (warm-up, not counted); `measure`: from now on what they do is counted; `stop`: the end. */
export type ParentMessage = { type: 'config', config: LoadConfig } | { type: 'start' } | { type: 'measure' } | { type: 'stop' }
export type ChildMessage = { type: 'ready' } | { type: 'result', result: LoadResult } | { type: 'error', message: string }
