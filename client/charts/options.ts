import type { CountsByKey } from '../../shared/aggregates.js'
import { THEME } from './theme.js'

/** ECharts option builders: pure functions of counts and label lookups, unit-tested apart from any chart. */
type Option = Record<string, unknown>
const axisLabel = { color: THEME.muted, fontSize: 12 }
const tooltip = { trigger: 'axis', backgroundColor: '#0d1b2e', borderColor: '#23405f', textStyle: { color: THEME.text } }

export function topEntries(counts: CountsByKey, n: number): [string, number][] {
  return Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n)
}

/** Horizontal bars, largest on top: categories, districts, streets. */
export function rankingBar(counts: CountsByKey, label: (key: string) => string, n = 10, colour = THEME.accent): Option | null {
  const top = topEntries(counts, n).reverse()
  if (top.length === 0) return null
  return {
    animationDuration: 300,
    grid: { left: 8, right: 40, top: 8, bottom: 8 },
    tooltip: { ...tooltip, axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1, axisLabel, splitLine: { lineStyle: { color: THEME.grid } } },
    // interval 0: every bar keeps its name, however many there are
    yAxis: { type: 'category', data: top.map(([k]) => label(k)), axisLabel: { ...axisLabel, color: THEME.text, interval: 0, fontSize: top.length > 12 ? 11 : 12 }, axisTick: { show: false } },
    series: [{ type: 'bar', data: top.map(([, v]) => v), barMaxWidth: 14, barCategoryGap: '30%', itemStyle: { color: colour, borderRadius: [0, 3, 3, 0] }, label: { show: true, position: 'right', color: THEME.text } }],
  }
}

/** Ring chart of shares (statuses, channels), colour per key when given. */
export function shareRing(counts: CountsByKey, label: (key: string) => string, colours: Record<string, string> = {}): Option | null {
  const entries = Object.entries(counts).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1])
  if (entries.length === 0) return null
  return {
    animationDuration: 300,
    tooltip: { trigger: 'item', backgroundColor: '#0d1b2e', borderColor: '#23405f', textStyle: { color: THEME.text } },
    legend: { orient: 'vertical', right: 4, top: 'middle', textStyle: { color: THEME.text }, itemWidth: 10, itemHeight: 10 },
    color: THEME.palette,
    series: [{
      type: 'pie', radius: ['45%', '72%'], center: ['35%', '50%'], label: { show: false },
      data: entries.map(([k, v]) => ({ name: label(k), value: v, ...(colours[k] && { itemStyle: { color: colours[k] } }) })),
    }],
  }
}

/** Reports per hour over the last 24 h, oldest left; `hourLabel` formats a bucket's start. */
export function hourlyTrend(hourStart: string, counts: number[], hourLabel: (ms: number) => string): Option {
  const start = Date.parse(hourStart)
  return {
    animationDuration: 300,
    grid: { left: 8, right: 16, top: 16, bottom: 8 },
    tooltip,
    xAxis: { type: 'category', boundaryGap: false, data: counts.map((_, k) => hourLabel(start + k * 3_600_000)), axisLabel },
    yAxis: { type: 'value', minInterval: 1, axisLabel, splitLine: { lineStyle: { color: THEME.grid } } },
    series: [{
      type: 'line', data: counts, smooth: true, showSymbol: false, lineStyle: { color: THEME.accent2, width: 2 },
      areaStyle: { color: { type: 'linear', x: 0, y: 0, x2: 0, y2: 1, colorStops: [{ offset: 0, color: 'rgba(53,224,197,0.45)' }, { offset: 1, color: 'rgba(53,224,197,0)' }] } },
    }],
  }
}
