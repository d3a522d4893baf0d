import type { Principal } from '../../shared/access.js'
import type { IngestResult } from '../../shared/incident.js'
import { DEFAULT_REPORTED_AT_WINDOW, type ReportedAtWindow } from '../../shared/schemas/incident.js'
import type { ErrorDetail } from '../../shared/schemas/errors.js'
import { eventDenied } from './ingest-guard.js'
import type { EventBus } from '../events/bus.js'
import type { CaseRepository, NewIncident, WithinInsert } from '../store/repository.js'
import { createGroupCommit, type GroupCommitStats } from './group-commit.js'
import { type EnvelopeError, isEnvelopeError, type Locator, type PreparedBatch } from './prepare-batch.js'
import { createPreparePool, type PreparePoolStats } from './prepare-pool.js'

export type { Locator } from './prepare-batch.js'

export interface IngestDeps {
  repo: CaseRepository
  locator: Locator
  /** The city the workers load (its id under server/geo/data/). */
  city: string
  cityName: string
  /** Worker threads that parse, validate and locate (0: on the calling thread). */
  workers: number
  /** Told once per commit, after it: `report.stored` (in sequence order), then `alarm.raised` for the alarms stored with them. */
  events: Pick<EventBus, 'publish'>
  /** Written in each commit with the reports: a step per stored row (the duplicate proposal), the alarms they raise. */
  within?: WithinInsert
  /** After a failed commit, with its rows (undo in-memory state `within` kept for them). */
  rolledBack?: (rows: readonly NewIncident[]) => void
  /** A failure while publishing after a commit (its requests are still answered: their events are stored). */
  onFanOutError: (err: unknown) => void
  now?: () => Date
  /** Whole batches per commit up to about this many events. */
  maxRowsPerCommit?: number
  /** Commits handed to the store at once (GroupCommitDeps.maxCommitsInFlight). */
  maxCommitsInFlight?: number
  /** reportedAt must lie within this window around `now` (default: one year back, five minutes ahead). */
  reportedAtWindow?: ReportedAtWindow
}

/**
 * `by`: who posts (issue #14). An API key may post only its sources, and keys, devices and users only inside their
 * scope: one event outside refuses the whole batch (IngestRefused, nothing stored). Omitted: an internal caller.
 */
export type IngestFn = (events: unknown[], by?: Principal) => Promise<IngestResult[]>

/** A sender's own rate limit, asked with the number of events once the envelope is read (API keys, issue #14). */
export type IngestAdmit = (events: number) => { ok: true } | { ok: false, retryAfterS: number, message: string }

/** The raw JSON body of POST /api/v1/events (`{ "events": [...] }`): parsed off the main thread too. */
export type IngestJsonFn = (body: Uint8Array, opts?: { by?: Principal, admit?: IngestAdmit }) => Promise<{ results: IngestResult[] } | EnvelopeError>

/** A batch refused because its sender may not post some of its events (HTTP 403 naming each field). */
export class IngestRefused extends Error {
  constructor(readonly details: ErrorDetail[]) {
    super(details.map(d => d.message).join('; '))
  }
}

/** A batch refused by its sender's own rate limit (HTTP 429 + Retry-After); nothing of it stored. */
export class IngestThrottled extends Error {
  constructor(readonly retryAfterS: number, message: string) {
    super(message)
  }
}

/** Refuses the whole batch when its sender may not post one of its events (source or scope). */
function guard(prepared: PreparedBatch, by: Principal | undefined): void {
  if (!by) return
  const denied: ErrorDetail[] = []
  for (const e of prepared.accepted) {
    const refusal = eventDenied(by, e.slot, e.input.source, e.location)
    if (refusal) denied.push(refusal)
  }
  if (denied.length > 0) throw new IngestRefused(denied)
}

export interface IngestStats extends PreparePoolStats, GroupCommitStats {}

// 4 requests of 1,000 share a commit of ≈ 60–80 ms on this machine's disk; more would only lengthen the tail
const MAX_ROWS_PER_COMMIT = 4_000

/**
 * The one way in for incidents — HTTP, Open311, the simulator and MQTT all come here: parse and validate each event
 * and locate it (worker threads) → store the batch in the next group commit (one transaction shared by the batches
 * that arrived meanwhile, with the duplicate proposals) → publish `report.stored` → answer. Results keep input order;
 * the promise resolves only after commit.
 */
export function createIngestService(deps: IngestDeps) {
  const now = deps.now ?? (() => new Date())
  const pool = createPreparePool({ workers: deps.workers, city: deps.city, locator: deps.locator, cityName: deps.cityName })
  const commit = createGroupCommit({
    repo: deps.repo,
    now,
    within: deps.within,
    rolledBack: deps.rolledBack,
    onStored: (incidents, alarms) => {
      deps.events.publish('report.stored', { incidents })
      if (alarms.length > 0) deps.events.publish('alarm.raised', { alarms: [...alarms] })
    },
    onFanOutError: deps.onFanOutError,
    maxRowsPerCommit: deps.maxRowsPerCommit ?? MAX_ROWS_PER_COMMIT,
    ...deps.maxCommitsInFlight !== undefined && { maxCommitsInFlight: deps.maxCommitsInFlight },
  })

  // live ingest only: reportedAt within a window around the city's clock (the history seed writes its own past)
  const window = () => ({ nowMs: now().getTime(), window: deps.reportedAtWindow ?? DEFAULT_REPORTED_AT_WINDOW })

  const ingest: IngestFn = async (events, by) => {
    const prepared = await pool.events(events, window())
    if (isEnvelopeError(prepared)) throw new Error(prepared.error) // not reachable: only an envelope can be malformed
    guard(prepared, by)
    return commit.submit(prepared)
  }

  const ingestJson: IngestJsonFn = async (body, opts = {}) => {
    const prepared = await pool.envelope(body, window())
    if (isEnvelopeError(prepared)) return prepared
    const admitted = opts.admit?.(prepared.results.length)
    if (admitted && !admitted.ok) throw new IngestThrottled(admitted.retryAfterS, admitted.message)
    guard(prepared, opts.by)
    return { results: await commit.submit(prepared) }
  }

  return {
    ingest,
    ingestJson,
    start: () => pool.start(),
    stats: (): IngestStats => ({ ...pool.stats(), ...commit.stats() }),
    close: () => pool.close(),
  }
}

export type IngestService = ReturnType<typeof createIngestService>
