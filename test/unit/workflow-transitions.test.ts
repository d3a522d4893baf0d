import { describe, expect, it } from 'vitest'
import { allowedActions, CASE_ACTIONS, type CaseAction, nextStatus } from '../../shared/workflow/transitions.js'
import { CASE_STATUSES, type CaseStatus } from '../../shared/workflow/states.js'

// The expected machine, written out independently of TRANSITIONS: every state × every action.
const LEGAL: Record<CaseStatus, Partial<Record<CaseAction, CaseStatus>>> = {
  reported: { file: 'filed', reject: 'rejected', merge: 'merged', 'dismiss-duplicate': 'reported', comment: 'reported' },
  filed: { dispatch: 'dispatched', postpone: 'postponed', merge: 'merged', 'dismiss-duplicate': 'filed', comment: 'filed' },
  dispatched: { handle: 'handled', postpone: 'postponed', dispatch: 'dispatched', remind: 'dispatched', escalate: 'dispatched', comment: 'dispatched' },
  postponed: { dispatch: 'dispatched', handle: 'handled', remind: 'postponed', escalate: 'postponed', comment: 'postponed' },
  handled: { 'verify-pass': 'verified', 'verify-fail': 'dispatched', comment: 'handled' },
  verified: { close: 'closed', comment: 'verified' },
  closed: { feedback: 'closed', comment: 'closed' },
  rejected: { comment: 'rejected' },
  merged: { comment: 'merged' },
}

describe('case workflow transitions', () => {
  const cases = CASE_STATUSES.flatMap(s => CASE_ACTIONS.map(a => [s, a, LEGAL[s][a] ?? null] as const))

  it(`covers all ${CASE_STATUSES.length} × ${CASE_ACTIONS.length} state/action pairs`, () => {
    expect(cases).toHaveLength(CASE_STATUSES.length * CASE_ACTIONS.length)
  })

  it.each(cases)('%s + %s → %s', (state, action, expected) => {
    expect(nextStatus(state, action)).toBe(expected)
  })

  it('lists the allowed actions of a state', () => {
    expect(allowedActions('reported')).toEqual(['file', 'reject', 'comment', 'merge', 'dismiss-duplicate'])
    expect(allowedActions('closed')).toEqual(['comment', 'feedback'])
  })

  it('reaches closed only through filing, dispatch, handling and verification', () => {
    const path: CaseAction[] = ['file', 'dispatch', 'handle', 'verify-pass', 'close']
    expect(path.reduce<CaseStatus>((s, a) => nextStatus(s, a)!, 'reported')).toBe('closed')
  })
})
