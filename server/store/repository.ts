import type { CaseEvent, Incident, Location } from '../../shared/incident.js'
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
}

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
  close: () => Promise<void>
}
