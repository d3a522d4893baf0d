import { getCategory } from '../categories.js'
import type { CaseStatus } from './states.js'

/**
 * Workflow actions (DOMAIN.md §3). `close` (结案) is the centre's last step after a passed verification; the other
 * names are those of the case-workflow issue. `comment`, `remind` (催办), `escalate` (督办), `dismiss-duplicate`
 * and `feedback` (a citizen's verdict on a closed public report) change no state; `merge` folds a duplicate report
 * into the case it repeats.
 * `self-handle` (自行处置): a grid worker fixed it on the spot. `return` (退回): a department hands a mis-dispatched
 * case back to the centre. `request-postpone` (申请延期) by the department, then `approve-postpone` / `refuse-postpone`
 * by the centre; `postpone` stays the centre's own decision (缓办 of a filed case, or on its own initiative).
 */
export const CASE_ACTIONS = [
  'file', 'reject', 'dispatch', 'handle', 'verify-pass', 'verify-fail', 'postpone', 'close', 'comment',
  'remind', 'escalate', 'merge', 'dismiss-duplicate', 'feedback',
  'self-handle', 'return', 'request-postpone', 'approve-postpone', 'refuse-postpone',
] as const
export type CaseAction = typeof CASE_ACTIONS[number]

/** The whole state machine: for each state, the actions allowed and where they lead. Anything absent is illegal. */
export const TRANSITIONS: Readonly<Record<CaseStatus, Partial<Record<CaseAction, CaseStatus>>>> = {
  reported: { file: 'filed', reject: 'rejected', merge: 'merged', 'dismiss-duplicate': 'reported', comment: 'reported', 'self-handle': 'closed' },
  filed: { dispatch: 'dispatched', postpone: 'postponed', merge: 'merged', 'dismiss-duplicate': 'filed', comment: 'filed' },
  // dispatching again re-routes the case to another department; 催办/督办 press the department while it works
  // a returned case goes back to the centre to be dispatched again; a postponement request waits on the case
  dispatched: {
    handle: 'handled', postpone: 'postponed', dispatch: 'dispatched', remind: 'dispatched', escalate: 'dispatched', comment: 'dispatched',
    return: 'filed', 'request-postpone': 'dispatched', 'approve-postpone': 'postponed', 'refuse-postpone': 'dispatched',
  },
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

/** Actions that must say why (不予立案, 核查不通过, 缓办, 退回, 申请延期, 不同意延期). */
export const REASON_REQUIRED: readonly CaseAction[] = ['reject', 'verify-fail', 'postpone', 'return', 'request-postpone', 'refuse-postpone']

/** Actions the console offers as buttons; `feedback` comes from citizens, `merge`/`dismiss-duplicate` from a proposal. */
export const OPERATOR_ACTIONS: readonly CaseAction[] = [
  'file', 'reject', 'dispatch', 'handle', 'verify-pass', 'verify-fail', 'postpone', 'close', 'remind', 'escalate',
  'self-handle', 'return', 'request-postpone', 'approve-postpone', 'refuse-postpone',
]

/**
 * 自行处置 is for a grid worker's own report (the worker is on site) of a non-urgent category: a gas leak or a crowd
 * is never "fixed on the spot" by one person. Hotline, app, sensor and video reports go through the centre.
 */
export function canSelfHandle(c: { source: string, urgent: boolean }): boolean {
  return c.source === 'grid_worker' && !c.urgent
}

/** The facts of a case that decide which of its state's actions it offers. */
export interface ActionFacts {
  status: CaseStatus
  source: string
  duplicateOf?: string
  feedback?: string
  postponeRequest?: unknown
  category: string
}

/** What a particular case offers now: the state's actions, less those its facts rule out. */
export function availableActions(c: ActionFacts): CaseAction[] {
  return allowedActions(c.status).filter((a) => {
    if (a === 'dismiss-duplicate' || a === 'merge') return c.duplicateOf !== undefined
    if (a === 'feedback') return !c.feedback && (c.source === 'hotline_12345' || c.source === 'citizen_app')
    if (a === 'self-handle') return canSelfHandle({ source: c.source, urgent: getCategory(c.category)?.urgent ?? false })
    if (a === 'request-postpone') return c.postponeRequest === undefined
    if (a === 'approve-postpone' || a === 'refuse-postpone') return c.postponeRequest !== undefined
    return true
  })
}
