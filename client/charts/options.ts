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

const CJK = /^[\u3400-\u9fff]+$/

/**
 * Columns, largest on the left: every district of a city (20 in Chengdu) in a short, wide panel (the wall's 470 px),
 * where 20 horizontal bars would overlap their names. Chinese names are set upright, one character a line (read
 * naturally, 12 px per column); other names are turned 45°. Values sit above the columns, turned upright when they
 * run to four digits so neighbours never overlap.
 */
export function rankingColumns(counts: CountsByKey, label: (key: string) => string, n = 20, colour = THEME.accent): Option | null {
  const top = topEntries(counts, n)
  if (top.length === 0) return null
  const names = top.map(([k]) => label(k))
  const upright = names.every(name => CJK.test(name))
  const wide = top[0]![1] >= 1000
  return {
    animationDuration: 300,
    grid: { left: 4, right: 4, top: wide ? 34 : 20, bottom: 4, containLabel: true },
    tooltip: { ...tooltip, axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'category', data: names, axisTick: { show: false },
      axisLabel: { ...axisLabel, color: THEME.text, interval: 0, lineHeight: 13, ...(upright ? { formatter: (v: string) => [...v].join('\n') } : { rotate: 45 }) },
    },
    yAxis: { type: 'value', minInterval: 1, show: false },
    series: [{
      type: 'bar', data: top.map(([, v]) => v), barMaxWidth: 14, barCategoryGap: '30%', itemStyle: { color: colour, borderRadius: [3, 3, 0, 0] },
      label: { show: true, position: 'top', color: THEME.text, fontSize: 11, ...(wide && { rotate: 90, align: 'left', verticalAlign: 'middle', distance: 4 }) },
    }],
  }
}

/** Each name's share of the total as "52.3%" (one decimal), for legends beside a ring. */
export function sharePercents(entries: readonly (readonly [string, number])[]): Map<string, string> {
  const total = entries.reduce((sum, [, v]) => sum + v, 0)
  return new Map(entries.map(([name, v]) => [name, total > 0 ? `${(v / total * 100).toFixed(1)}%` : '']))
}

/**
 * The legend of a ring with each slice's share beside its name ("网格员 52.3%"): readable on the wall, where nobody
 * hovers for a tooltip, and never overlapping, as slice labels on thin slices would.
 */
export function shareLegend(entries: readonly (readonly [string, number])[]): Option {
  const pct = sharePercents(entries)
  return {
    orient: 'vertical', right: 4, top: 'middle', itemWidth: 10, itemHeight: 10,
    formatter: (name: string) => `{name|${name}}{pct|${pct.get(name) ?? ''}}`,
    textStyle: { color: THEME.text, rich: { name: { width: 84, color: THEME.text }, pct: { width: 44, align: 'right', color: THEME.muted, fontFamily: 'inherit' } } },
  }
}

/** Ring chart of shares (statuses, channels), colour per key when given; the legend carries the percentages. */
export function shareRing(counts: CountsByKey, label: (key: string) => string, colours: Record<string, string> = {}): Option | null {
  const entries = Object.entries(counts).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1])
  if (entries.length === 0) return null
  return {
    animationDuration: 300,
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)', backgroundColor: '#0d1b2e', borderColor: '#23405f', textStyle: { color: THEME.text } },
    legend: shareLegend(entries.map(([k, v]) => [label(k), v])),
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
