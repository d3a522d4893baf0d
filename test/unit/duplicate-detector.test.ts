import { describe, expect, it } from 'vitest'
import { DuplicateDetector } from '../../server/workflow/duplicate-detector.js'

const at = (min: number) => new Date(Date.UTC(2026, 10, 24, 2) + min * 60_000).toISOString()
// ~1 m of latitude
const M = 1 / 110_900

describe('duplicate proposals (same category, near in space and time, another channel)', () => {
  it('proposes the grid worker\'s report for two 12345 callers about the same pile of rubbish', () => {
    const d = new DuplicateDetector({ radiusM: 100, windowMinutes: 60 })
    const base = { category: '0102', lon: 104.0657, lat: 30.6574 }
    expect(d.observe({ ...base, id: 'g1', source: 'grid_worker', reportedAt: at(0) })).toBeNull()
    expect(d.observe({ ...base, id: 'h1', source: 'hotline_12345', lat: base.lat + 40 * M, reportedAt: at(10) })).toBe('g1')
    expect(d.observe({ ...base, id: 'h2', source: 'hotline_12345', lat: base.lat - 60 * M, reportedAt: at(25) })).toBe('g1')
  })

  it('leaves alone reports from the same channel, another category, too far or too late', () => {
    const d = new DuplicateDetector({ radiusM: 100, windowMinutes: 60 })
    const base = { category: '0102', lon: 104.0657, lat: 30.6574 }
    d.observe({ ...base, id: 'g1', source: 'grid_worker', reportedAt: at(0) })
    expect(d.observe({ ...base, id: 'g2', source: 'grid_worker', reportedAt: at(1) })).toBeNull()
    expect(d.observe({ ...base, id: 'x1', source: 'hotline_12345', category: '0103', reportedAt: at(2) })).toBeNull()
    expect(d.observe({ ...base, id: 'f1', source: 'citizen_app', lat: base.lat + 150 * M, reportedAt: at(3) })).toBeNull()
    expect(d.observe({ ...base, id: 'l1', source: 'video_ai', reportedAt: at(61) })).toBe('g2')
  })

  it('finds a match across a bucket border and prefers the earliest report', () => {
    const d = new DuplicateDetector({ radiusM: 100, windowMinutes: 60 })
    // straddle a grid line: 30 m apart but in different 100 m buckets
    const lat = Math.ceil(30.6574 * 110_900 / 100) * 100 / 110_900
    d.observe({ id: 'a', source: 'grid_worker', category: '0102', lon: 104.0657, lat: lat - 15 * M, reportedAt: at(0) })
    d.observe({ id: 'b', source: 'citizen_app', category: '0102', lon: 104.0657, lat: lat + 400 * M, reportedAt: at(1) })
    expect(d.observe({ id: 'c', source: 'hotline_12345', category: '0102', lon: 104.0657, lat: lat + 15 * M, reportedAt: at(2) })).toBe('a')
  })
})
