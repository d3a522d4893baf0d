import { describe, expect, it } from 'vitest'
import { FootfallWindow } from '../../server/greenway/footfall-window.js'

const T0 = Date.parse('2026-11-24T08:00:00Z') // 16:00 in Chengdu
const MIN = 60_000
const place = (segment: string) => (segment === 'gone' ? undefined : { name: `${segment}段`, lon: 104, lat: 30.6 })
const window = () => new FootfallWindow({ bucketMinutes: 5, trendHours: 24, windowMinutes: 60, crowding: { threshold: 100, windowMinutes: 15 } })

describe('footfall window', () => {
  it('sums the trend in 5-minute buckets over 24 h and the heat per segment over the last hour', () => {
    const w = window()
    w.add('a', T0 - 2 * MIN, 10, T0)
    w.add('a', T0 - 90 * MIN, 7, T0) // in the trend, not in the hour
    w.add('b', T0, 5, T0)
    w.add('a', T0 - 25 * 3_600_000, 99, T0) // older than the trend: ignored
    const s = w.state(T0)
    expect(s.trend).toHaveLength(288)
    expect(s.trend.at(-1)).toBe(5)
    expect(s.trend.reduce((a, b) => a + b, 0)).toBe(22)
    expect(s.trendStart).toBe(new Date(T0 - 287 * 5 * MIN).toISOString())
    expect(s.bySegment).toEqual({ a: 10, b: 5 })
    expect(s.total).toBe(15)
  })

  it('raises crowding at the threshold within its window and clears it below 80 %, not before', () => {
    const w = window()
    w.add('a', T0, 60, T0)
    expect(w.evaluate(T0, place)).toBe(false)
    w.add('a', T0 + MIN, 40, T0 + MIN)
    expect(w.evaluate(T0 + MIN, place)).toBe(true)
    expect(w.state(T0 + MIN).crowded).toEqual([expect.objectContaining({ segment: 'a', name: 'a段', visitors: 100, threshold: 100, windowMinutes: 15 })])
    // 15 minutes after the first reading it leaves the window: 40 < 80 → cleared
    expect(w.evaluate(T0 + 14 * MIN, place)).toBe(false)
    expect(w.evaluate(T0 + 15 * MIN, place)).toBe(true)
    expect(w.state(T0 + 15 * MIN).crowded).toEqual([])
  })

  it('keeps an alarm between 80 % and 100 % (no flapping) and drops alarms of removed segments', () => {
    const w = window()
    w.add('gone', T0, 500, T0)
    expect(w.evaluate(T0, place)).toBe(false) // no such segment: no alarm
    w.add('a', T0, 100, T0)
    w.evaluate(T0, place)
    w.add('a', T0 + 14 * MIN, 85, T0 + 14 * MIN)
    expect(w.evaluate(T0 + 15 * MIN, place)).toBe(false)
    expect(w.state(T0 + 15 * MIN).crowded[0]!.visitors).toBe(85)
    w.forget(() => false)
    expect(w.state(T0 + 15 * MIN).crowded).toEqual([])
  })
})
