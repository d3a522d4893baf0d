import { describe, expect, it } from 'vitest'
import { hourlyTrend, rankingBar, shareRing, topEntries } from '../../client/charts/options.js'
import { categoryLabel, cityTime, formatCount } from '../../client/format.js'

describe('chart option builders', () => {
  it('ranks the top N, largest on top, with every label shown', () => {
    const opt = rankingBar({ a: 3, b: 10, c: 1, d: 7 }, k => k.toUpperCase(), 3) as { yAxis: { data: string[], axisLabel: { interval: number } }, series: { data: number[] }[] }
    expect(opt.yAxis.data).toEqual(['A', 'D', 'B'])
    expect(opt.series[0]!.data).toEqual([3, 7, 10])
    expect(opt.yAxis.axisLabel.interval).toBe(0)
    expect(topEntries({ x: 1, y: 1 }, 5)).toEqual([['x', 1], ['y', 1]])
  })

  it('returns null for nothing to draw, so the panel shows its empty state', () => {
    expect(rankingBar({}, k => k)).toBeNull()
    expect(shareRing({ a: 0 }, k => k)).toBeNull()
  })

  it('labels 24 hourly buckets from their start in city time', () => {
    const opt = hourlyTrend('2026-11-23T03:00:00.000Z', new Array(24).fill(1), ms => cityTime(ms, 480, false)) as { xAxis: { data: string[] } }
    expect(opt.xAxis.data[0]).toBe('11:00')
    expect(opt.xAxis.data[23]).toBe('10:00')
  })
})

describe('formatting', () => {
  it('names categories in the UI language and formats counts', () => {
    expect(categoryLabel('0102', 'zh-CN')).toBe('暴露垃圾')
    expect(categoryLabel('0102', 'en')).toBe('Exposed garbage')
    expect(categoryLabel('7777', 'en')).toBe('7777')
    expect(formatCount(12345, 'en')).toBe('12,345')
    expect(formatCount(undefined, 'en')).toBe('—')
    expect(cityTime(Date.parse('2026-11-23T16:05:09Z'), 480)).toBe('00:05:09')
  })
})
