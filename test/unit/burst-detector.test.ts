import { describe, expect, it } from 'vitest'
import { BurstDetector } from '../../server/alarms/burst-detector.js'

const MIN = 60_000

describe('burst detection (more than N of one category in one community within M minutes)', () => {
  it('raises when the N+1th report falls inside the window, once per window', () => {
    const d = new BurstDetector({ threshold: 3, windowMinutes: 10 })
    const t0 = Date.UTC(2026, 10, 24, 2)
    expect([0, 2, 4].map(m => d.observe('0102', 'c1', t0 + m * MIN))).toEqual([null, null, null])
    expect(d.observe('0102', 'c1', t0 + 6 * MIN)).toBe(4)
    // the same cluster keeps growing: no second alarm inside the quiet window
    expect(d.observe('0102', 'c1', t0 + 7 * MIN)).toBeNull()
    expect(d.observe('0102', 'c1', t0 + 8 * MIN)).toBeNull()
  })

  it('does not count reports outside the window, of other categories or other communities', () => {
    const d = new BurstDetector({ threshold: 2, windowMinutes: 10 })
    const t0 = Date.UTC(2026, 10, 24, 2)
    expect(d.observe('0102', 'c1', t0)).toBeNull()
    expect(d.observe('0102', 'c1', t0 + 5 * MIN)).toBeNull()
    expect(d.observe('0103', 'c1', t0 + 6 * MIN)).toBeNull()
    expect(d.observe('0102', 'c2', t0 + 6 * MIN)).toBeNull()
    // the first report has left the 10-minute window: still only two
    expect(d.observe('0102', 'c1', t0 + 11 * MIN)).toBeNull()
    expect(d.observe('0102', 'c1', t0 + 12 * MIN)).toBe(3)
  })

  it('raises again for a new cluster after the quiet window, and forgets idle keys', () => {
    const d = new BurstDetector({ threshold: 1, windowMinutes: 5 })
    const t0 = Date.UTC(2026, 10, 24, 2)
    d.observe('0102', 'c1', t0)
    expect(d.observe('0102', 'c1', t0 + MIN)).toBe(2)
    d.observe('0102', 'c1', t0 + 20 * MIN)
    expect(d.observe('0102', 'c1', t0 + 21 * MIN)).toBe(2)
    d.sweep(t0 + 60 * MIN)
    expect(d.keys).toBe(0)
  })
})
