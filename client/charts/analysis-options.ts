import type { DepartmentRow, TrendSeries } from '../../shared/analysis.js'
import { formatIndicator, type Grade, gradeOf, valueOf } from '../../shared/kpi/catalogue.js'
import { shareLegend, sharePercents } from './options.js'
import { tooltipLines } from '../text/html.js'
import { THEME } from './theme.js'

/**
 * ECharts options of the drill-down (/analysis): pure functions of the API's answers and label functions, unit-tested
 * apart from any chart. Each carries ECharts' own save-as-image button.
 */
type Option = Record<string, unknown>
const axisLabel = { color: THEME.muted, fontSize: 11 }
const splitLine = { lineStyle: { color: THEME.grid } }
const tooltipBase = { backgroundColor: '#0d1b2e', borderColor: '#23405f', textStyle: { color: THEME.text } }

/** The save-as-image button (ECharts' toolbox), on the dark background the chart is drawn on. */
export function saveImage(title: string, name: string): Option {
  return {
    right: 4, top: 0, itemSize: 13, iconStyle: { borderColor: THEME.muted },
    feature: { saveAsImage: { title, name, backgroundColor: '#0b1a2d', pixelRatio: 2 } },
  }
}

export interface TrendLabels { current: string, previous: string, lastYear: string, save: string, name: string }

/** 本期 with 环比 (the period before) and 同比 (a year before) overlaid, bucket by bucket. */
export function trendOption(t: TrendSeries, bucketLabel: (iso: string, bucket: 'hour' | 'day') => string, l: TrendLabels): Option | null {
  if (t.current.length === 0) return null
  const line = (name: string, data: number[], colour: string, type: 'solid' | 'dashed' | 'dotted', area = false) => ({
    name, type: 'line', data, showSymbol: data.length < 40, smooth: false, lineStyle: { color: colour, width: type === 'solid' ? 2 : 1.5, type }, itemStyle: { color: colour },
    ...(area && { areaStyle: { color: { type: 'linear', x: 0, y: 0, x2: 0, y2: 1, colorStops: [{ offset: 0, color: 'rgba(53,224,197,0.35)' }, { offset: 1, color: 'rgba(53,224,197,0)' }] } } }),
  })
  return {
    animationDuration: 300,
    grid: { left: 8, right: 16, top: 30, bottom: 4, containLabel: true },
    legend: { top: 0, left: 0, textStyle: { color: THEME.text, fontSize: 12 }, itemWidth: 14, itemHeight: 8 },
    tooltip: { ...tooltipBase, trigger: 'axis' },
    toolbox: saveImage(l.save, l.name),
    xAxis: { type: 'category', boundaryGap: false, data: t.starts.map(s => bucketLabel(s, t.bucket)), axisLabel },
    yAxis: { type: 'value', minInterval: 1, axisLabel, splitLine },
    series: [
      line(l.current, t.current, THEME.accent2, 'solid', true),
      line(l.previous, t.previous, THEME.accent, 'dashed'),
      line(l.lastYear, t.lastYear, '#f5c451', 'dotted'),
    ],
  }
}

export interface CategoryInfo { code: string, bigClass: string, name: string, bigName: string }

/**
 * Category breakdown as two rings: big classes inside, their small classes outside (in the same order, so each small
 * class sits beside its big class). Small classes beyond the `top` largest of a big class are folded into "other".
 */
export function categoryRingsOption(counts: Record<string, number>, info: (code: string) => CategoryInfo, l: { other: string, save: string, name: string }, top = 6): Option | null {
  const entries = Object.entries(counts).filter(([, n]) => n > 0)
  if (entries.length === 0) return null
  const byBig = new Map<string, { name: string, total: number, small: [string, number][] }>()
  for (const [code, n] of entries) {
    const c = info(code)
    const b = byBig.get(c.bigClass) ?? { name: c.bigName, total: 0, small: [] }
    b.total += n
    b.small.push([code, n])
    byBig.set(c.bigClass, b)
  }
  const bigs = [...byBig.entries()].sort((a, b) => b[1].total - a[1].total)
  const bigShare = sharePercents(bigs.map(([, b]) => [b.name, b.total]))
  const inner = bigs.map(([code, b], k) => ({ name: b.name, value: b.total, code, itemStyle: { color: THEME.palette[k % THEME.palette.length] } }))
  const outer: { name: string, value: number, code: string | null, itemStyle: { color: string, opacity: number } }[] = []
  bigs.forEach(([code, b], k) => {
    const small = b.small.sort((x, y) => y[1] - x[1])
    const colour = THEME.palette[k % THEME.palette.length]!
    small.slice(0, top).forEach(([c, n], j) => outer.push({ name: info(c).name, value: n, code: c, itemStyle: { color: colour, opacity: 0.9 - 0.08 * j } }))
    const rest = small.slice(top).reduce((s, [, n]) => s + n, 0)
    if (rest > 0) outer.push({ name: `${b.name}·${l.other}`, value: rest, code, itemStyle: { color: colour, opacity: 0.35 } })
  })
  return {
    animationDuration: 300,
    tooltip: { ...tooltipBase, trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    toolbox: saveImage(l.save, l.name),
    legend: { type: 'scroll', top: 0, left: 0, right: 28, data: inner.map(b => b.name), formatter: (name: string) => `${name} ${bigShare.get(name) ?? ''}`, textStyle: { color: THEME.text, fontSize: 11 }, itemWidth: 10, itemHeight: 10, pageTextStyle: { color: THEME.muted }, pageIconColor: THEME.muted },
    series: [
      // big classes are named in the legend above (with their share), not inside: their names overlapped in the centre
      { type: 'pie', radius: ['0%', '32%'], center: ['50%', '56%'], label: { show: false }, data: inner, itemStyle: { borderColor: '#0b1a2d', borderWidth: 1 } },
      // outside names run to the panel's edges, one row each; any that would still touch a neighbour are left out
      {
        type: 'pie', radius: ['40%', '62%'], center: ['50%', '56%'], avoidLabelOverlap: true, minShowLabelAngle: 8, labelLayout: { hideOverlap: true },
        label: { color: THEME.text, fontSize: 11, overflow: 'truncate', width: 84, alignTo: 'edge', edgeDistance: 4 }, labelLine: { length: 8, length2: 0, maxSurfaceAngle: 80 },
        data: outer, itemStyle: { borderColor: '#0b1a2d', borderWidth: 1 },
      },
    ],
  }
}

/** Share ring (source mix), colour per key; the legend carries each share in percent. */
export function mixRingOption(counts: Record<string, number>, label: (k: string) => string, l: { save: string, name: string }): Option | null {
  const entries = Object.entries(counts).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1])
  if (entries.length === 0) return null
  return {
    animationDuration: 300,
    tooltip: { ...tooltipBase, trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    toolbox: saveImage(l.save, l.name),
    legend: shareLegend(entries.map(([k, v]) => [label(k), v])),
    color: THEME.palette,
    series: [{ type: 'pie', radius: ['45%', '72%'], center: ['36%', '52%'], label: { show: false }, data: entries.map(([k, v]) => ({ name: label(k), value: v })) }],
  }
}

/** Status funnel: cases that reached each stage, with the share of all reports. */
export function funnelOption(counts: readonly number[], stageLabel: (k: number) => string, l: { save: string, name: string }): Option | null {
  const top = counts[0] ?? 0
  if (top === 0) return null
  return {
    animationDuration: 300,
    tooltip: { ...tooltipBase, trigger: 'item', formatter: '{b}: {c}' },
    toolbox: saveImage(l.save, l.name),
    series: [{
      // the funnel takes the left 56 %, its labels the rest: at the default width the labels ran off the right edge
      type: 'funnel', sort: 'none', left: '3%', width: '56%', top: 26, bottom: 6, minSize: '12%', gap: 2,
      labelLine: { length: 10 },
      label: { position: 'right', color: THEME.text, fontSize: 12, overflow: 'truncate', width: 170, formatter: ({ name, value }: { name: string, value: number }) => `${name} ${value.toLocaleString()} · ${(value / top * 100).toFixed(1)}%` },
      itemStyle: { borderWidth: 0 },
      data: counts.map((value, k) => ({ name: stageLabel(k), value, itemStyle: { color: THEME.palette[k % THEME.palette.length] } })),
    }],
  }
}

/** Hour-of-week heatmap: weekdays (Monday on top) × local hours. */
export function hourOfWeekOption(counts: readonly number[], weekdays: readonly string[], l: { save: string, name: string }): Option | null {
  const max = Math.max(0, ...counts)
  if (max === 0) return null
  const data: [number, number, number][] = []
  counts.forEach((n, k) => data.push([k % 24, Math.floor(k / 24), n]))
  return {
    animation: false,
    grid: { left: 8, right: 8, top: 24, bottom: 36, containLabel: true },
    tooltip: { ...tooltipBase, trigger: 'item', formatter: ({ value }: { value: [number, number, number] }) => tooltipLines(`${weekdays[value[1]]} ${String(value[0]).padStart(2, '0')}:00 · ${value[2].toLocaleString()}`) },
    toolbox: saveImage(l.save, l.name),
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => String(h)), axisLabel, splitArea: { show: false } },
    yAxis: { type: 'category', data: [...weekdays], inverse: true, axisLabel },
    visualMap: { min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, itemWidth: 10, textStyle: { color: THEME.muted, fontSize: 11 }, inRange: { color: ['#0c2340', '#1f6fa6', '#35e0c5', '#f5c451', '#ff6a3d'] } },
    series: [{ type: 'heatmap', data, itemStyle: { borderColor: '#0b1a2d', borderWidth: 1 }, emphasis: { itemStyle: { borderColor: '#fff' } } }],
  }
}

/** The catalogue's grades as bar colours. */
const GRADE_COLOURS: Record<Grade, string> = { green: THEME.accent2, amber: '#f5c451', red: '#ff6a3d', none: THEME.muted }

/** 按期处置率 by department: bars of the rate, the counts in the tooltip; the busiest departments first. */
export function departmentOption(rows: readonly DepartmentRow[], l: { rate: string, handled: string, overdue: string, save: string, name: string }, top = 12): Option | null {
  const rateOf = (r: DepartmentRow) => valueOf(r.indicators, 'onTimeHandlingRate')
  const list = rows.filter(r => rateOf(r) !== null).slice(0, top).reverse()
  if (list.length === 0) return null
  return {
    animationDuration: 300,
    grid: { left: 8, right: 48, top: 24, bottom: 4, containLabel: true },
    tooltip: {
      ...tooltipBase, trigger: 'axis', axisPointer: { type: 'shadow' },
      formatter: (p: { dataIndex: number }[]) => {
        const r = list[p[0]!.dataIndex]!
        // the department is whatever a dispatch named: text, escaped by construction (issue #14)
        return tooltipLines(r.department, `${l.rate} ${formatIndicator('onTimeHandlingRate', rateOf(r), 1)}`, `${l.handled} ${r.handled.toLocaleString()} · ${l.overdue} ${r.overdue.toLocaleString()}`)
      },
    },
    toolbox: saveImage(l.save, l.name),
    xAxis: { type: 'value', max: 100, axisLabel: { ...axisLabel, formatter: '{value}%' }, splitLine },
    yAxis: { type: 'category', data: list.map(r => r.department), axisLabel: { ...axisLabel, color: THEME.text, interval: 0 }, axisTick: { show: false } },
    series: [{
      type: 'bar', barMaxWidth: 14,
      data: list.map(r => ({ value: Math.round((rateOf(r) ?? 0) * 1000) / 10, itemStyle: { color: GRADE_COLOURS[gradeOf('onTimeHandlingRate', rateOf(r))], borderRadius: [0, 3, 3, 0] } })),
      label: { show: true, position: 'right', color: THEME.text, formatter: ({ value }: { value: number }) => `${value.toFixed(1)}%` },
    }],
  }
}

/** The playback's histogram: counts per bucket, the current frame highlighted. */
export function histogramOption(totals: readonly number[], current: number | null): Option | null {
  if (totals.length === 0) return null
  return {
    animation: false,
    grid: { left: 0, right: 0, top: 2, bottom: 0 },
    xAxis: { type: 'category', show: false, data: totals.map((_, k) => k) },
    yAxis: { type: 'value', show: false },
    series: [{
      type: 'bar', barCategoryGap: '10%',
      data: totals.map((v, k) => ({ value: v, itemStyle: { color: k === current ? '#f5c451' : current !== null && k < current ? THEME.accent : 'rgba(63,182,255,0.35)' } })),
    }],
  }
}
