import type { Campaign, CampaignBreakdownRow, CampaignDay } from '../../shared/campaigns/types.js'
import { parseScope } from '../../shared/scope.js'
import { THEME } from '../charts/theme.js'

/** Pure presentation helpers of campaigns (专项行动), shared by the wall panel and /analysis; unit-tested. */
type Option = Record<string, unknown>

export const campaignName = (c: Campaign, locale: string) => (locale === 'en' && c.nameEn ? c.nameEn : c.name)

/** The campaign's area: the city's name, or the district's / street's (with its district). */
export function areaLabel(c: Campaign, cityName: string, nameOf: (code: string) => string, parentOf: (code: string) => string | null): string {
  const s = parseScope(c.scope)
  if (!s || s.level === 'city') return cityName
  if (s.level === 'district') return nameOf(s.code!)
  const district = parentOf(s.code!)
  return district ? `${nameOf(district)} · ${nameOf(s.code!)}` : nameOf(s.code!)
}

/** How the rate stands against the target: ok at or above it, warn within 5 points, danger below; none without either. */
export function targetTone(rate: number | null, target: number | null): 'ok' | 'warn' | 'danger' | 'none' {
  if (rate === null || target === null) return 'none'
  return rate >= target ? 'ok' : rate >= target - 0.05 ? 'warn' : 'danger'
}

const pct = (r: number | null) => (r === null ? null : Math.round(r * 10_000) / 100)
const axisLabel = { color: THEME.muted, fontSize: 11 }
const splitLine = { lineStyle: { color: THEME.grid } }
const tooltip = { trigger: 'axis', backgroundColor: '#0d1b2e', borderColor: '#23405f', textStyle: { color: THEME.text } }

export interface DailyLabels { found: string, resolved: string, rate: string, target: string }

/** The daily series: found and resolved per day (bars), the cumulative resolution rate and the target (lines, %). */
export function dailyOption(daily: readonly CampaignDay[], target: number | null, l: DailyLabels, fontSize = 12): Option | null {
  if (daily.length === 0) return null
  const label = { ...axisLabel, fontSize }
  return {
    animationDuration: 300,
    grid: { left: 8, right: 8, top: 34, bottom: 4, containLabel: true },
    legend: { top: 0, left: 0, textStyle: { color: THEME.text, fontSize }, itemWidth: 14, itemHeight: 8 },
    tooltip,
    xAxis: { type: 'category', data: daily.map(d => d.date.slice(5)), axisLabel: { ...label, hideOverlap: true } },
    yAxis: [
      { type: 'value', minInterval: 1, axisLabel: label, splitLine },
      { type: 'value', min: 0, max: 100, axisLabel: { ...label, formatter: '{value}%' }, splitLine: { show: false } },
    ],
    series: [
      { name: l.found, type: 'bar', data: daily.map(d => d.found), itemStyle: { color: THEME.accent }, barMaxWidth: 18 },
      { name: l.resolved, type: 'bar', data: daily.map(d => d.resolved), itemStyle: { color: THEME.accent2 }, barMaxWidth: 18 },
      { name: l.rate, type: 'line', yAxisIndex: 1, data: daily.map(d => pct(d.resolutionRate)), showSymbol: daily.length < 40, lineStyle: { color: '#f5c451', width: 2 }, itemStyle: { color: '#f5c451' } },
      ...(target === null ? [] : [{ name: l.target, type: 'line', yAxisIndex: 1, data: daily.map(() => pct(target)), showSymbol: false, lineStyle: { color: '#ff8a4c', type: 'dashed', width: 1.5 }, itemStyle: { color: '#ff8a4c' } }]),
    ],
  }
}

/** Resolution rate by unit (the units with most reports first, at most `limit`), coloured against the target. */
export function breakdownOption(rows: readonly CampaignBreakdownRow[], target: number | null, rateLabel: string, fontSize = 12, limit = 10): Option | null {
  const shown = rows.filter(r => r.found > 0).slice(0, limit).reverse()
  if (shown.length === 0) return null
  const colour = { ok: THEME.palette[5], warn: THEME.palette[2], danger: '#ff4d6a', none: THEME.accent }
  return {
    animationDuration: 300,
    grid: { left: 8, right: 96, top: 4, bottom: 4, containLabel: true },
    tooltip: { ...tooltip, trigger: 'item' },
    xAxis: { type: 'value', min: 0, max: 100, axisLabel: { ...axisLabel, fontSize, formatter: '{value}%' }, splitLine },
    yAxis: { type: 'category', data: shown.map(r => r.name), axisLabel: { ...axisLabel, fontSize, color: THEME.text } },
    series: [{
      name: rateLabel, type: 'bar', barMaxWidth: 16,
      data: shown.map(r => ({ value: pct(r.resolutionRate), itemStyle: { color: colour[targetTone(r.resolutionRate, target)] } })),
      label: { show: true, position: 'right', color: THEME.text, fontSize, formatter: (p: { dataIndex: number }) => `${(pct(shown[p.dataIndex]!.resolutionRate) ?? 0).toFixed(1)}% (${shown[p.dataIndex]!.resolved}/${shown[p.dataIndex]!.found})` },
    }],
  }
}
