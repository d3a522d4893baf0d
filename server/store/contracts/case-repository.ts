import type { Alarm } from '../../../shared/alarms.js'
import type { Incident, Location, PostponeRequest } from '../../../shared/incident.js'
import type { IncidentInput } from '../../../shared/schemas/incident.js'
import type { ParsedScope } from '../../../shared/scope.js'
import type { CaseStatus } from '../../../shared/workflow/states.js'
import type { NewAlarm } from './alarm-repository.js'

/** A report ("incident") and the case it opens are one row: reports are written by ingest, cases moved by workflow. */
/** `hash`: its content hash (server/store/content-hash.ts) when already computed, as ingest's workers do. */
export interface NewIncident { input: IncidentInput, location: Location, hash?: string }

export interface InsertOutcome {
  /** Rows written, with their sequence numbers, in input order. */
  stored: Incident[]
  /** Ids that already existed (or came twice in the batch): stored once, never overwritten. */
  duplicates: Set<string>
  /** Positions (in `rows`) of duplicates whose content differs from what is stored under that id (issue #14). */
  conflicts: Set<number>
  /** Alarms `within.alarms` raised in the same commit (keys not raised before). */
  alarms?: Alarm[]
}

/**
 * What ingest writes in the same commit as its reports (issue #13: one disk sync, not one per proposal or alarm batch).
 */
export interface WithinInsert {
  /**
   * For each row just stored: a workflow step to write with it (the duplicate detector's proposal), or null. It must
   * not move the case's rollup key (status, department, on time).
   */
  step?: (stored: Incident) => CaseChange | null
  /** After the rows: the alarms they raise (stored once per key, as `raiseAlarms`). */
  alarms?: (stored: readonly Incident[]) => readonly NewAlarm[]
}

/** A workflow step to write: the new state and bookkeeping of a case, guarded by the version its author saw. */
export interface CaseChange {
  id: string
  expectedVersion: number
  to: CaseStatus
  at: string
  actor: string
  action: string
  note?: string
  department?: string
  deadline?: string
  rework?: boolean
  postponed?: boolean
  filedAt?: string
  dispatchedAt?: string
  handledAt?: string
  closedAt?: string
  reminder?: boolean
  escalatedAt?: string
  /** undefined keeps the proposal, null clears it. */
  duplicateOf?: string | null
  mergedInto?: string
  feedback?: 'satisfied' | 'unsatisfied'
  /** return (退回): +1 returns; department, deadline, dispatch time, assisting departments and any request cleared. */
  returned?: boolean
  /** verify-fail: the handled time is cleared, so rework is not counted on time until handled again. */
  clearHandled?: boolean
  selfHandled?: boolean
  evidencePhoto?: string
  /** undefined keeps them; [] clears them. */
  assisting?: string[]
  /** undefined keeps a pending request, null clears it. */
  postponeRequest?: PostponeRequest | null
}

export type CaseChangeOutcome =
  | { kind: 'applied', incident: Incident, from: CaseStatus }
  | { kind: 'not-found' }
  | { kind: 'stale', current: Incident }

/** After commit, once per stored change: the case before (null: a new report) and after. */
export type ChangeListener = (before: Incident | null, after: Incident) => void

/** A page of the case queue; `before` is the (reported_ms, seq) of the previous page's last row (issue #13). */
export interface CaseQuery { scope: ParsedScope, openOnly: boolean, limit: number, before?: { reportedMs: number, seq: number } }

/** A page of the case queue as the API sends it: the summaries already serialised (built where the rows are read). */
export interface CasePage { casesJson: string, next: { reportedMs: number, seq: number } | null }

/** Open-case counts by district and street, to seed live aggregates at start-up. */
export interface OpenCount { district: string, street: string, count: number }

/** Reports and cases: written by ingest and workflow, each write with the next store-wide sequence number. */
export interface CaseRepository {
  /**
   * Writes new incidents in one transaction; resolves only after commit. Each stored row gets the next seq; a step
   * `within.step` returns for it is written in the same transaction (the row is then returned in its state after
   * it), and so are the alarms of `within.alarms`.
   */
  insertIncidents: (rows: NewIncident[], receivedAt: string, within?: WithinInsert) => Promise<InsertOutcome>
  getIncident: (id: string) => Promise<Incident | null>
  /** Highest sequence number committed so far (0 when empty). */
  currentSeq: () => Promise<number>
  /** Incidents in scope whose latest change has seq > `afterSeq`, oldest change first, at most `limit`. */
  changedSince: (afterSeq: number, scope: ParsedScope, limit: number) => Promise<Incident[]>
  /** Latest incidents in scope by report time, newest first. */
  recent: (scope: ParsedScope, limit: number) => Promise<Incident[]>
  /** Incidents reported at or after `sinceMs`, for rebuilding in-memory aggregates. */
  reportedSince: (sinceMs: number) => Promise<Incident[]>
  openCounts: (openStatuses: readonly CaseStatus[]) => Promise<OpenCount[]>
  /** Applies a workflow step atomically with its audit row and the next seq, only if the version still matches. */
  applyCaseChange: (change: CaseChange) => Promise<CaseChangeOutcome>
  /** Several changes (of different cases) in one commit, each guarded as `applyCaseChange`; outcomes in order. */
  applyCaseChanges: (changes: readonly CaseChange[]) => Promise<CaseChangeOutcome[]>
  /** Cases in an open state, oldest change first (for workers that resume after a restart). */
  openCases: (openStatuses: readonly CaseStatus[], limit: number) => Promise<Incident[]>
  /** Reports merged into a case. */
  mergedInto: (id: string) => Promise<Incident[]>
  /** Cases for the console's queue, newest report first. */
  listCases: (q: CaseQuery) => Promise<Incident[]>
  /** One page of the queue (at most `limit` cases) serialised as IncidentSummary[], and where the next one starts. */
  casePage: (q: CaseQuery) => Promise<CasePage>
  /** Every stored change, after commit (the maintained KPI counts); returns the unsubscribe. */
  watchChanges: (listener: ChangeListener) => () => void
}
