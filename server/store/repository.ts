import type { Alarm } from '../../shared/alarms.js'
import type { CaseEvent, Incident, Location } from '../../shared/incident.js'
import type { LeagueCounts } from '../../shared/kpi/league.js'
import type { KpiFactsInput } from '../../shared/kpi/report.js'
import type { IncidentInput } from '../../shared/schemas/incident.js'
import type { ParsedScope } from '../../shared/scope.js'
import type { CaseStatus } from '../../shared/workflow/states.js'

export interface NewIncident { input: IncidentInput, location: Location }

export interface InsertOutcome {
  /** Rows written, with their sequence numbers, in input order. */
  stored: Incident[]
  /** Ids that already existed (or came twice in the batch): stored once, never overwritten. */
  duplicates: Set<string>
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
}

export interface NewAlarm extends Omit<Alarm, 'id' | 'ackedBy' | 'ackedAt'> {
  /** Raised at most once per key (e.g. "overdue:<id>"), across restarts. */
  key: string
}

export type AlarmAckOutcome = { kind: 'acked', alarm: Alarm } | { kind: 'not-found' } | { kind: 'already', alarm: Alarm }

/** The stored facts KPIs are computed from, for cases reported in [fromMs, toMs). */
export type KpiFacts = KpiFactsInput

/** One row of the league table: a department's (or street's) open cases and those reported since `fromMs`. */
export type LeagueFacts = LeagueCounts

/** A read-only wall link for one scope (the token itself is never stored). */
export interface DisplayLink { id: string, scope: string, label: string, createdAt: string, revokedAt?: string }

export interface CaseQuery { scope: ParsedScope, openOnly: boolean, limit: number }

export type CaseChangeOutcome =
  | { kind: 'applied', incident: Incident, from: CaseStatus }
  | { kind: 'not-found' }
  | { kind: 'stale', current: Incident }

/** Open-case counts by district and street, to seed live aggregates at start-up. */
export interface OpenCount { district: string, street: string, count: number }

/**
 * Storage behind an interface: SQLite is the embedded default; a PostgreSQL implementation satisfies the same
 * contract (test/integration/repository-contract.ts runs against each). Async so that a networked store fits.
 */
export interface IncidentRepository {
  /** Writes new incidents in one transaction; resolves only after commit. Each stored row gets the next seq. */
  insertIncidents: (rows: NewIncident[], receivedAt: string) => Promise<InsertOutcome>
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
  /** Cases in an open state, oldest change first (for workers that resume after a restart). */
  openCases: (openStatuses: readonly CaseStatus[], limit: number) => Promise<Incident[]>
  /** The audit trail of a case, oldest first. */
  caseEvents: (id: string) => Promise<CaseEvent[]>
  /** Reports merged into a case. */
  mergedInto: (id: string) => Promise<Incident[]>
  /** Cases for the console's queue, newest report first. */
  listCases: (q: CaseQuery) => Promise<Incident[]>
  kpiFacts: (scope: ParsedScope, fromMs: number, toMs: number, nowIso: string) => Promise<KpiFacts>
  league: (scope: ParsedScope, by: 'department' | 'street', fromMs: number, nowIso: string) => Promise<LeagueFacts[]>
  /** Stores alarms in one transaction, skipping keys raised before; returns those stored. */
  raiseAlarms: (alarms: readonly NewAlarm[]) => Promise<Alarm[]>
  ackAlarm: (id: number, actor: string, at: string) => Promise<AlarmAckOutcome>
  /** Unacknowledged alarms in scope, oldest first. */
  openAlarms: (scope: ParsedScope, limit: number) => Promise<Alarm[]>
  /** Cases past their deadline while the department's clock runs, with no overdue alarm yet. */
  overdueWithoutAlarm: (nowIso: string, limit: number) => Promise<Incident[]>
  insertDisplayLink: (link: DisplayLink, tokenHash: string) => Promise<void>
  displayLinkByTokenHash: (tokenHash: string) => Promise<DisplayLink | null>
  listDisplayLinks: () => Promise<DisplayLink[]>
  /** Marks a link revoked (idempotent) and returns it; null if unknown. */
  revokeDisplayLink: (id: string, at: string) => Promise<DisplayLink | null>
  close: () => Promise<void>
}
