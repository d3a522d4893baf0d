/** Case states of the digital-urban-management workflow (DOMAIN.md §3). Transitions live in workflow/transitions.ts. */
export const CASE_STATUSES = ['reported', 'filed', 'rejected', 'dispatched', 'handled', 'verified', 'closed', 'postponed', 'merged'] as const
export type CaseStatus = typeof CASE_STATUSES[number]

/** States in which a case still needs work. `merged` reports live on in the case they were merged into. */
export const OPEN_STATUSES: readonly CaseStatus[] = ['reported', 'filed', 'dispatched', 'handled', 'verified', 'postponed']
export function isOpen(status: CaseStatus): boolean {
  return OPEN_STATUSES.includes(status)
}
