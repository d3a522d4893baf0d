import { describe, expect, it } from 'vitest'
import { hourlyTrend, rankingBar, rankingColumns, sharePercents, shareRing, topEntries } from '../../client/charts/options.js'
import { categoryLabel, cityTime, formatCount } from '../../client/format.js'

describe('chart option builders', () => {
  it('ranks the top N, largest on top, with every label shown', () => {
    const opt = rankingBar({ a: 3, b: 10, c: 1, d: 7 }, k => k.toUpperCase(), 3) as { yAxis: { data: string[], axisLabel: { interval: number } }, series: { data: number[] }[] }
    expect(opt.yAxis.data).toEqual(['A', 'D', 'B'])
    expect(opt.series[0]!.data).toEqual([3, 7, 10])
    expect(opt.yAxis.axisLabel.interval).toBe(0)
    expect(topEntries({ x: 1, y: 1 }, 5)).toEqual([['x', 1], ['y', 1]])
  })

  it('puts every district in columns with upright Chinese names, so 20 names never overlap (regression)', () => {
    const names = ['成华区', '金牛区', '新都区', '双流区', '武侯区', '郫都区', '龙泉驿区', '简阳市', '青羊区', '锦江区',
      '温江区', '金堂县', '彭州市', '崇州市', '都江堰市', '邛崃市', '新津区', '大邑县', '青白江区', '蒲江县']
    const counts = Object.fromEntries(names.map((n, k) => [String(510100 + k), 800 - k * 30]))
    type Cols = { xAxis: { type: string, data: string[], axisLabel: { interval: number, formatter?: (v: string) => string, rotate?: number } }, series: { data: number[], label: { rotate?: number } }[] }
    const opt = rankingColumns(counts, k => names[Number(k) - 510100]!) as Cols
    expect(opt.xAxis.type).toBe('category')
    expect(opt.xAxis.data).toHaveLength(20)
    expect(opt.xAxis.data[0]).toBe('成华区')
    expect(opt.series[0]!.data[0]).toBe(800)
    expect(opt.xAxis.axisLabel.interval).toBe(0)
    expect(opt.xAxis.axisLabel.formatter!('龙泉驿区')).toBe('龙\n泉\n驿\n区')
    expect(opt.series[0]!.label.rotate).toBeUndefined()
    // names that are not Chinese are turned instead; four-digit values stand upright above their columns
    const en = rankingColumns({ a: 1200, b: 30 }, k => `District ${k}`) as Cols
    expect(en.xAxis.axisLabel).toMatchObject({ rotate: 45 })
    expect(en.xAxis.axisLabel.formatter).toBeUndefined()
    expect(en.series[0]!.label.rotate).toBe(90)
    expect(rankingColumns({}, k => k)).toBeNull()
  })

  it('gives rings a legend with each share in percent', () => {
    expect([...sharePercents([['a', 1], ['b', 3]])]).toEqual([['a', '25.0%'], ['b', '75.0%']])
    const ring = shareRing({ grid: 3, app: 1 }, k => k.toUpperCase()) as { legend: { formatter: (n: string) => string }, tooltip: { formatter: string } }
    expect(ring.legend.formatter('GRID')).toBe('{name|GRID}{pct|75.0%}')
    expect(ring.legend.formatter('APP')).toBe('{name|APP}{pct|25.0%}')
    expect(ring.tooltip.formatter).toContain('{d}%')
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
