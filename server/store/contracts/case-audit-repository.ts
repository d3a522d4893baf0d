import type { CaseEvent } from '../../../shared/incident.js'

/**
 * The audit trail of cases: one row per workflow step, written by `CaseRepository.applyCaseChange` in the same
 * transaction as the step (there is no separate write), read here.
 */
export interface CaseAuditRepository {
  /** The audit trail of a case, oldest first ([] for an unknown id). */
  caseEvents: (id: string) => Promise<CaseEvent[]>
}
