import type { CaseStatus } from './states.js'

/**
 * Workflow actions (DOMAIN.md §3). `close` (结案) is the centre's last step after a passed verification; the other
 * names are those of the case-workflow issue. `comment`, `remind` (催办), `escalate` (督办), `dismiss-duplicate`
 * and `feedback` (a citizen's verdict on a closed public report) change no state; `merge` folds a duplicate report
 * into the case it repeats.
 */
export const CASE_ACTIONS = [
  'file', 'reject', 'dispatch', 'handle', 'verify-pass', 'verify-fail', 'postpone', 'close', 'comment',
  'remind', 'escalate', 'merge', 'dismiss-duplicate', 'feedback',
] as const
export type CaseAction = typeof CASE_ACTIONS[number]

/** The whole state machine: for each state, the actions allowed and where they lead. Anything absent is illegal. */
export const TRANSITIONS: Readonly<Record<CaseStatus, Partial<Record<CaseAction, CaseStatus>>>> = {
  reported: { file: 'filed', reject: 'rejected', merge: 'merged', 'dismiss-duplicate': 'reported', comment: 'reported' },
  filed: { dispatch: 'dispatched', postpone: 'postponed', merge: 'merged', 'dismiss-duplicate': 'filed', comment: 'filed' },
  // dispatching again re-routes the case to another department; 催办/督办 press the department while it works
  dispatched: { handle: 'handled', postpone: 'postponed', dispatch: 'dispatched', remind: 'dispatched', escalate: 'dispatched', comment: 'dispatched' },
  postponed: { dispatch: 'dispatched', handle: 'handled', remind: 'postponed', escalate: 'postponed', comment: 'postponed' },
  // a failed verification is rework (返工): back to the department
  handled: { 'verify-pass': 'verified', 'verify-fail': 'dispatched', comment: 'handled' },
  verified: { close: 'closed', comment: 'verified' },
  closed: { feedback: 'closed', comment: 'closed' },
  rejected: { comment: 'rejected' },
  merged: { comment: 'merged' },
}

export function nextStatus(from: CaseStatus, action: CaseAction): CaseStatus | null {
  return TRANSITIONS[from][action] ?? null
}

export function allowedActions(from: CaseStatus): CaseAction[] {
  return CASE_ACTIONS.filter(a => TRANSITIONS[from][a] !== undefined)
}

/** Actions that must say why (不予立案, 核查不通过, 缓办). */
export const REASON_REQUIRED: readonly CaseAction[] = ['reject', 'verify-fail', 'postpone']

/** Actions the console offers as buttons; `feedback` comes from citizens, `merge`/`dismiss-duplicate` from a proposal. */
export const OPERATOR_ACTIONS: readonly CaseAction[] = ['file', 'reject', 'dispatch', 'handle', 'verify-pass', 'verify-fail', 'postpone', 'close', 'remind', 'escalate']

/** What a particular case offers now: the state's actions, less those its facts rule out. */
export function availableActions(c: { status: CaseStatus, duplicateOf?: string, source: string, feedback?: string }): CaseAction[] {
  return allowedActions(c.status).filter((a) => {
    if (a === 'dismiss-duplicate' || a === 'merge') return c.duplicateOf !== undefined
    if (a === 'feedback') return !c.feedback && (c.source === 'hotline_12345' || c.source === 'citizen_app')
    return true
  })
}
