import { describe, expect, it } from 'vitest'
import { countdown } from '../../client/composables/useCountdown.js'

const H = 3_600_000
const t0 = Date.parse('2026-12-07T09:00:00+08:00')
const iso = (ms: number) => new Date(ms).toISOString()
const dispatched = { status: 'dispatched' as const, dispatchedAt: iso(t0), deadline: iso(t0 + 4 * H) }

describe('case countdown', () => {
  it('runs while the department holds the case: time left, 临期, then 超期 counting up', () => {
    expect(countdown(dispatched, t0 + H)).toEqual({ text: '3:00', urgency: 'ok', stopped: false })
    expect(countdown(dispatched, t0 + 3.5 * H)).toMatchObject({ text: '0:30', urgency: 'near' })
    expect(countdown(dispatched, t0 + 5.25 * H)).toMatchObject({ text: '-1:15', urgency: 'overdue' })
  })

  it('stops once the case is handled: the margin at handling, the same at any later time (regression)', () => {
    const handled = { ...dispatched, status: 'handled' as const, handledAt: iso(t0 + 2.5 * H) }
    const at = (now: number) => countdown(handled, now)
    expect(at(t0 + 3 * H)).toEqual({ text: '1:30', urgency: 'ok', stopped: true, onTime: true })
    // hours later, past the deadline, and after closing: still 1:30 early, no 超期
    expect(at(t0 + 9 * H)).toEqual(at(t0 + 3 * H))
    expect(countdown({ ...handled, status: 'closed', closedAt: iso(t0 + 6 * H) }, t0 + 30 * H)).toEqual(at(t0 + 3 * H))
  })

  it('a case handled late shows how late, frozen', () => {
    const late = { ...dispatched, status: 'verified' as const, handledAt: iso(t0 + 5 * H) }
    expect(countdown(late, t0 + 6 * H)).toEqual({ text: '1:00', urgency: 'ok', stopped: true, onTime: false })
    expect(countdown(late, t0 + 60 * H)).toEqual(countdown(late, t0 + 6 * H))
  })

  it('a postponed case keeps counting; no deadline, no countdown', () => {
    expect(countdown({ ...dispatched, status: 'postponed' }, t0 + H)).toMatchObject({ stopped: false, text: '3:00' })
    expect(countdown({ status: 'reported' }, t0)).toBeNull()
    expect(countdown({ status: 'closed', deadline: iso(t0) }, t0 + H)).toBeNull()
  })
})
