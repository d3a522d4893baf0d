import { describe, expect, it } from 'vitest'
import { allowedActions, availableActions, CASE_ACTIONS, type CaseAction, nextStatus } from '../../shared/workflow/transitions.js'
import { CASE_STATUSES, type CaseStatus } from '../../shared/workflow/states.js'

// The expected machine, written out independently of TRANSITIONS: every state × every action.
const LEGAL: Record<CaseStatus, Partial<Record<CaseAction, CaseStatus>>> = {
  reported: { file: 'filed', reject: 'rejected', merge: 'merged', 'dismiss-duplicate': 'reported', comment: 'reported', 'self-handle': 'closed' },
  filed: { dispatch: 'dispatched', postpone: 'postponed', merge: 'merged', 'dismiss-duplicate': 'filed', comment: 'filed' },
  dispatched: {
    handle: 'handled', postpone: 'postponed', dispatch: 'dispatched', remind: 'dispatched', escalate: 'dispatched', comment: 'dispatched',
    return: 'filed', 'request-postpone': 'dispatched', 'approve-postpone': 'postponed', 'refuse-postpone': 'dispatched',
  },
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
    expect(allowedActions('reported')).toEqual(['file', 'reject', 'comment', 'merge', 'dismiss-duplicate', 'self-handle'])
    expect(allowedActions('closed')).toEqual(['comment', 'feedback'])
  })

  it('reaches closed only through filing, dispatch, handling and verification', () => {
    const path: CaseAction[] = ['file', 'dispatch', 'handle', 'verify-pass', 'close']
    expect(path.reduce<CaseStatus>((s, a) => nextStatus(s, a)!, 'reported')).toBe('closed')
  })

  it('offers 自行处置 only on a grid worker\'s report of a non-urgent category', () => {
    expect(availableActions({ status: 'reported', source: 'grid_worker', category: '0102' })).toContain('self-handle')
    expect(availableActions({ status: 'reported', source: 'hotline_12345', category: '0102' })).not.toContain('self-handle')
    // 0403 燃气管道破裂 is urgent: never fixed on the spot by one person
    expect(availableActions({ status: 'reported', source: 'grid_worker', category: '0403' })).not.toContain('self-handle')
  })

  it('offers the centre\'s answer only while a postponement request is pending, and no second request', () => {
    const open = availableActions({ status: 'dispatched', source: 'grid_worker', category: '0102' })
    expect(open).toContain('request-postpone')
    expect(open).not.toContain('approve-postpone')
    expect(open).not.toContain('refuse-postpone')
    const pending = availableActions({ status: 'dispatched', source: 'grid_worker', category: '0102', postponeRequest: { deadline: '2026-12-09T00:00:00Z', reason: '等待配件', at: '2026-12-07T00:00:00Z' } })
    expect(pending).toEqual(expect.arrayContaining(['approve-postpone', 'refuse-postpone', 'return', 'handle']))
    expect(pending).not.toContain('request-postpone')
  })

  it('sends a returned case back to the centre, and a refused request leaves it with the department', () => {
    expect(nextStatus('dispatched', 'return')).toBe('filed')
    expect(nextStatus('filed', 'return')).toBeNull()
    expect(nextStatus('dispatched', 'refuse-postpone')).toBe('dispatched')
    expect(nextStatus('postponed', 'request-postpone')).toBeNull()
  })
})
