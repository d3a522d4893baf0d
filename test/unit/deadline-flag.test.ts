import { describe, expect, it } from 'vitest'
import { deadlineFlag, msUntilNextFlag, NEAR_MIN_MS } from '../../shared/workflow/deadline.js'

const H = 3_600_000
const t0 = Date.UTC(2026, 10, 24, 2)
const iso = (ms: number) => new Date(ms).toISOString()

describe('deadline flags: 临期 as the deadline nears, 超期 past it', () => {
  const c = { status: 'dispatched' as const, dispatchedAt: iso(t0), deadline: iso(t0 + 10 * H) }
  it('is ok early, near in the last 20 % of the allotted time, overdue from the deadline on', () => {
    expect(deadlineFlag(c, t0 + H)).toBe('ok')
    expect(deadlineFlag(c, t0 + 7.9 * H)).toBe('ok')
    expect(deadlineFlag(c, t0 + 8 * H)).toBe('near')
    expect(deadlineFlag(c, t0 + 10 * H)).toBe('overdue')
  })
  it('warns at least 15 minutes ahead for short limits, and has no flag once handled', () => {
    const short = { status: 'dispatched' as const, dispatchedAt: iso(t0), deadline: iso(t0 + 30 * 60_000) }
    expect(deadlineFlag(short, t0 + 30 * 60_000 - NEAR_MIN_MS)).toBe('near')
    expect(deadlineFlag({ ...c, status: 'handled' }, t0 + 11 * H)).toBe('none')
    expect(deadlineFlag({ status: 'postponed', deadline: iso(t0) }, t0 + 1)).toBe('overdue')
  })
  it('says when the flag will next change', () => {
    expect(msUntilNextFlag(c, t0 + H)).toBe(7 * H)
    expect(msUntilNextFlag(c, t0 + 9 * H)).toBe(H)
    expect(msUntilNextFlag(c, t0 + 11 * H)).toBeNull()
  })
})
