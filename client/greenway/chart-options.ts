import type { CoverageRow, FacilityType, FootfallState, GreenwayStatus, GreenwayTier, NetworkSummary } from '../../shared/greenway/types.js'
import { FACILITY_TYPES, GREENWAY_STATUSES, GREENWAY_TIERS } from '../../shared/greenway/types.js'
import { THEME } from '../charts/theme.js'
import { FACILITY_COLOURS, STATUS_COLOURS } from './colours.js'

/** ECharts options for the greenway charts: pure functions of the live figures, null when there is nothing to draw. */
type Option = Record<string, unknown>
export interface ChartStyle { fontSize: number }
const tooltipBase = { backgroundColor: '#0d1b2e', borderColor: '#23405f', textStyle: { color: THEME.text } }
const axisLabel = (s: ChartStyle) => ({ color: THEME.muted, fontSize: s.fontSize })
const pct = (v: number) => `${Math.round(v * 1000) / 10}%`
const DEFAULT: ChartStyle = { fontSize: 12 }

/** Stacked bars: km per tier, split by status. */
export function kmByTierStatus(n: NetworkSummary | null, tier: (t: GreenwayTier) => string, status: (s: GreenwayStatus) => string, style = DEFAULT): Option | null {
  if (!n || n.segments === 0) return null
  const tiers = [...GREENWAY_TIERS].reverse()
  return {
    animationDuration: 300,
    grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
    tooltip: { ...tooltipBase, trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, textStyle: { color: THEME.text, fontSize: style.fontSize }, itemWidth: 10, itemHeight: 10 },
    xAxis: { type: 'value', axisLabel: axisLabel(style), splitLine: { lineStyle: { color: THEME.grid } } },
    yAxis: { type: 'category', data: tiers.map(tier), axisLabel: { ...axisLabel(style), color: THEME.text }, axisTick: { show: false } },
    series: GREENWAY_STATUSES.map(s => ({
      name: status(s), type: 'bar', stack: 'km', barMaxWidth: 18, itemStyle: { color: STATUS_COLOURS[s] },
      data: tiers.map(t => Math.round(n.km[t][s])),
    })),
  }
}

/** Districts ranked by their share within 1,000 m, with the 500 m share beside it. */
export function coverageRanking(rows: readonly CoverageRow[], labels: { within500: string, within1000: string }, style = DEFAULT, limit = Infinity): Option | null {
  if (rows.length === 0 || rows.every(r => r.greenway1000 === 0)) return null
  // best covered on top; with a limit (the wall's small panel), the `limit` best
  const sorted = [...rows].sort((a, b) => a.greenway1000 - b.greenway1000 || b.code.localeCompare(a.code)).slice(-limit)
  return {
    animationDuration: 300,
    grid: { left: 8, right: 40, top: 24, bottom: 8, containLabel: true },
    tooltip: { ...tooltipBase, trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: pct },
    legend: { top: 0, textStyle: { color: THEME.text, fontSize: style.fontSize }, itemWidth: 10, itemHeight: 10 },
    xAxis: { type: 'value', max: 1, axisLabel: { ...axisLabel(style), formatter: pct }, splitLine: { lineStyle: { color: THEME.grid } } },
    yAxis: { type: 'category', data: sorted.map(r => r.name), axisLabel: { ...axisLabel(style), color: THEME.text, interval: 0, fontSize: sorted.length > 12 ? style.fontSize - 1 : style.fontSize }, axisTick: { show: false } },
    series: [
      { name: labels.within1000, type: 'bar', data: sorted.map(r => r.greenway1000), barMaxWidth: 12, barGap: '-100%', itemStyle: { color: '#1d6f5a' }, label: { show: true, position: 'right', color: THEME.text, formatter: (p: { value: number }) => pct(p.value), fontSize: style.fontSize - 1 } },
      { name: labels.within500, type: 'bar', data: sorted.map(r => r.greenway500), barMaxWidth: 12, itemStyle: { color: STATUS_COLOURS.built } },
    ],
  }
}

/** Residents farther than 1,000 m from any built greenway, per district, most first (the `limit` largest): where to build next. */
export function uncoveredByDistrict(rows: readonly CoverageRow[], unit: string, style = DEFAULT, limit = Infinity): Option | null {
  const list = rows.filter(r => r.uncovered1000 > 0).sort((a, b) => b.uncovered1000 - a.uncovered1000 || a.code.localeCompare(b.code)).slice(0, limit).reverse()
  if (list.length === 0) return null
  return {
    animationDuration: 300,
    grid: { left: 8, right: 44, top: 8, bottom: 8, containLabel: true },
    tooltip: { ...tooltipBase, trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => `${v} ${unit}` },
    xAxis: { type: 'value', axisLabel: axisLabel(style), splitLine: { lineStyle: { color: THEME.grid } } },
    yAxis: { type: 'category', data: list.map(r => r.name), axisLabel: { ...axisLabel(style), color: THEME.text, interval: 0, fontSize: list.length > 12 ? style.fontSize - 1 : style.fontSize }, axisTick: { show: false } },
    series: [{ type: 'bar', data: list.map(r => Math.round(r.uncovered1000 / 1000) / 10), barMaxWidth: 12, itemStyle: { color: '#ff8a4c' }, label: { show: true, position: 'right', color: THEME.text, fontSize: style.fontSize - 1 } }],
  }
}

/**
 * The city's share within the service radius of each facility type, and of all required types at once. Horizontal
 * bars, names on the left: six names such as 党群服务中心 side by side under columns overlapped in a 470 px panel.
 */
export function serviceByType(row: CoverageRow | null, type: (t: FacilityType) => string, allLabel: string, style = DEFAULT): Option | null {
  if (!row || row.population === 0) return null
  const keys = [...FACILITY_TYPES]
  return {
    animationDuration: 300,
    grid: { left: 8, right: 52, top: 8, bottom: 8, containLabel: true },
    tooltip: { ...tooltipBase, trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: pct },
    // inverse: the types top-down in their usual order, all types last
    yAxis: { type: 'category', inverse: true, data: [...keys.map(type), allLabel], axisLabel: { ...axisLabel(style), color: THEME.text, interval: 0 }, axisTick: { show: false } },
    xAxis: { type: 'value', max: 1, axisLabel: { ...axisLabel(style), formatter: pct }, splitLine: { lineStyle: { color: THEME.grid } } },
    series: [{
      type: 'bar', barMaxWidth: 16,
      data: [...keys.map(k => ({ value: row.service[k], itemStyle: { color: FACILITY_COLOURS[k] } })), { value: row.serviceAll, itemStyle: { color: THEME.accent2 } }],
      label: { show: true, position: 'right', color: THEME.text, formatter: (p: { value: number }) => pct(p.value), fontSize: style.fontSize - 1 },
    }],
  }
}

/** Visitors per bucket over the last `hours`, oldest left. */
export function footfallTrend(state: FootfallState | null, hours: number, timeLabel: (ms: number) => string, style = DEFAULT): Option | null {
  if (!state || state.trend.every(v => v === 0)) return null
  const n = Math.min(state.trend.length, Math.round((hours * 60) / state.bucketMinutes))
  const values = state.trend.slice(-n)
  const start = Date.parse(state.trendStart) + (state.trend.length - n) * state.bucketMinutes * 60_000
  return {
    animationDuration: 300,
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: { ...tooltipBase, trigger: 'axis' },
    xAxis: { type: 'category', boundaryGap: false, data: values.map((_, k) => timeLabel(start + k * state.bucketMinutes * 60_000)), axisLabel: axisLabel(style) },
    yAxis: { type: 'value', minInterval: 1, axisLabel: axisLabel(style), splitLine: { lineStyle: { color: THEME.grid } } },
    series: [{
      type: 'line', data: values, smooth: true, showSymbol: false, lineStyle: { color: STATUS_COLOURS.built, width: 2 },
      areaStyle: { color: { type: 'linear', x: 0, y: 0, x2: 0, y2: 1, colorStops: [{ offset: 0, color: 'rgba(53,224,160,0.45)' }, { offset: 1, color: 'rgba(53,224,160,0)' }] } },
    }],
  }
}
