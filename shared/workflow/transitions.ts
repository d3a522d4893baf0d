import type { CaseStatus } from './states.js'

/**
 * Workflow actions (DOMAIN.md §3). `close` (结案) is the centre's last step after a passed verification; the other
 * names are those of the case-workflow issue. `comment` changes no state.
 */
export const CASE_ACTIONS = ['file', 'reject', 'dispatch', 'handle', 'verify-pass', 'verify-fail', 'postpone', 'close', 'comment'] as const
export type CaseAction = typeof CASE_ACTIONS[number]

/** The whole state machine: for each state, the actions allowed and where they lead. Anything absent is illegal. */
export const TRANSITIONS: Readonly<Record<CaseStatus, Partial<Record<CaseAction, CaseStatus>>>> = {
  reported: { file: 'filed', reject: 'rejected', comment: 'reported' },
  filed: { dispatch: 'dispatched', postpone: 'postponed', comment: 'filed' },
  // dispatching again re-routes the case to another department
  dispatched: { handle: 'handled', postpone: 'postponed', dispatch: 'dispatched', comment: 'dispatched' },
  postponed: { dispatch: 'dispatched', handle: 'handled', comment: 'postponed' },
  // a failed verification is rework (返工): back to the department
  handled: { 'verify-pass': 'verified', 'verify-fail': 'dispatched', comment: 'handled' },
  verified: { close: 'closed', comment: 'verified' },
  closed: { comment: 'closed' },
  rejected: { comment: 'rejected' },
}

export function nextStatus(from: CaseStatus, action: CaseAction): CaseStatus | null {
  return TRANSITIONS[from][action] ?? null
}

export function allowedActions(from: CaseStatus): CaseAction[] {
  return CASE_ACTIONS.filter(a => TRANSITIONS[from][a] !== undefined)
}

/** Actions that must say why (不予立案, 核查不通过, 缓办). */
export const REASON_REQUIRED: readonly CaseAction[] = ['reject', 'verify-fail', 'postpone']
