import type { KpiCounts } from './counts.js'

/**
 * The KPI catalogue (issue #11): every indicator declared once, with its names, its numerator and denominator over
 * the one counts type, its unit, which way is good and its grading. Server endpoints, the wall, the ops league and
 * the analysis views all read it; nothing else divides counts. docs/KPIS.md describes each one (a test checks it
 * names every id).
 *
 * To add an indicator: one entry here plus, for each count it needs, one field in counts.ts and one column in the
 * store's counts query (server/store/sqlite/kpi-counts.ts).
 */
export type KpiUnit = 'rate' | 'hours' | 'count'

export interface KpiDefinition {
  id: string
  zh: string
  en: string
  unit: KpiUnit
  /** Which way is good: a higher closure rate, a lower rework rate. */
  better: 'higher' | 'lower'
  numerator: (c: KpiCounts) => number
  /** Absent for counts. A rate's numerator is a subset of its denominator (docs/KPIS.md), so it never exceeds 1. */
  denominator?: (c: KpiCounts) => number
  /** Green from `green`, amber from `amber` (in the good direction); below that red. Absent: not graded. */
  grade?: { green: number, amber: number }
  /** One line: the formula and its bases in words. */
  definition: string
}

export const KPI_CATALOGUE = [
  {
    id: 'closureRate', zh: '结案率', en: 'Closure rate', unit: 'rate', better: 'higher',
    numerator: c => c.closed, denominator: c => c.dueToClose - c.postponed, grade: { green: 0.99, amber: 0.95 },
    definition: '结案数 / (应结案数 − 缓办数): closed cases over cases that should be closed (closed, or open past their deadline), less open cases within a granted postponement.',
  },
  {
    id: 'onTimeClosureRate', zh: '按期结案率', en: 'On-time closure rate', unit: 'rate', better: 'higher',
    numerator: c => c.closedOnTime, denominator: c => c.dueToClose - c.postponed, grade: { green: 0.9, amber: 0.8 },
    definition: '按期结案数 / (应结案数 − 缓办数): closed cases handled by their deadline, over the closure rate\'s base.',
  },
  {
    id: 'filingRate', zh: '立案率', en: 'Filing rate', unit: 'rate', better: 'higher',
    numerator: c => c.filed, denominator: c => c.judged, grade: { green: 0.85, amber: 0.75 },
    definition: '立案数 / (立案数 + 不予立案数): filed reports over the reports the centre has judged; untriaged reports are in neither.',
  },
  {
    id: 'handlingRate', zh: '处置率', en: 'Handling rate', unit: 'rate', better: 'higher',
    numerator: c => c.handled, denominator: c => c.dueToHandle, grade: { green: 0.95, amber: 0.9 },
    definition: '处置数 / 应处置数: handled cases over cases handled or waiting on a department past their deadline.',
  },
  {
    id: 'onTimeHandlingRate', zh: '按期处置率', en: 'On-time handling rate', unit: 'rate', better: 'higher',
    numerator: c => c.handledOnTime, denominator: c => c.dueToHandle, grade: { green: 0.9, amber: 0.8 },
    definition: '按期处置数 / 应处置数: cases handled by their deadline over cases handled or waiting on a department past their deadline.',
  },
  {
    id: 'reworkRate', zh: '返工率', en: 'Rework rate', unit: 'rate', better: 'lower',
    numerator: c => c.reworked, denominator: c => c.submitted, grade: { green: 0.02, amber: 0.05 },
    definition: '返工案件数 / 提交核查案件数: cases with at least one failed verification over cases handled at least once.',
  },
  {
    id: 'postponementRate', zh: '延期率', en: 'Postponement rate', unit: 'rate', better: 'lower',
    numerator: c => c.postponedEver, denominator: c => c.filed, grade: { green: 0.005, amber: 0.02 },
    definition: '延期案件数 / 立案数: filed cases that were ever postponed over filed cases.',
  },
  {
    id: 'satisfactionRate', zh: '群众满意率', en: 'Satisfaction rate', unit: 'rate', better: 'higher',
    numerator: c => c.feedbackSatisfied, denominator: c => c.feedbackTotal, grade: { green: 0.9, amber: 0.85 },
    definition: '满意评价数 / 评价数: satisfied verdicts over all citizens\' verdicts on closed public reports.',
  },
  {
    id: 'accurateDispatchRate', zh: '准确派遣率', en: 'Dispatch accuracy', unit: 'rate', better: 'higher',
    numerator: c => c.dispatches - c.returned, denominator: c => c.dispatches, grade: { green: 0.97, amber: 0.93 },
    definition: '(派遣次数 − 退回次数) / 派遣次数: dispatches a department did not return as mis-dispatched, over all dispatches.',
  },
  {
    id: 'selfHandledCount', zh: '自行处置数', en: 'Fixed on the spot', unit: 'count', better: 'higher',
    numerator: c => c.selfHandled,
    definition: 'Reports a grid worker fixed on the spot (自行处置), closed with evidence without being filed; outside the closure and filing bases.',
  },
  {
    id: 'meanAcceptHours', zh: '平均受理时长', en: 'Mean time to file', unit: 'hours', better: 'lower',
    numerator: c => c.acceptHoursTotal, denominator: c => c.acceptCount,
    definition: 'Σ(立案时间 − 上报时间) / 立案数, in hours: how long a filed report waited to be filed.',
  },
  {
    id: 'meanHandlingHours', zh: '平均处置时长', en: 'Mean handling time', unit: 'hours', better: 'lower',
    numerator: c => c.handleHoursTotal, denominator: c => c.handleCount,
    definition: 'Σ(处置时间 − 派遣时间) / 已处置的派遣案件数, in hours: how long a department took from dispatch to handled.',
  },
  {
    id: 'overdueOpen', zh: '超期案件数', en: 'Overdue open cases', unit: 'count', better: 'lower',
    numerator: c => c.overdueOpen,
    definition: 'Cases waiting on a department (dispatched or postponed) past their deadline now.',
  },
] as const satisfies readonly KpiDefinition[]

export type KpiId = typeof KPI_CATALOGUE[number]['id']
export const KPI_IDS: readonly KpiId[] = KPI_CATALOGUE.map(k => k.id)

const BY_ID = new Map<string, KpiDefinition>(KPI_CATALOGUE.map(k => [k.id, k]))

export function kpiDefinition(id: KpiId): KpiDefinition {
  return BY_ID.get(id)!
}

/** One indicator's figure: value = numerator / denominator (null with a zero base: unknown, not 0 % or 100 %). */
export interface KpiIndicator {
  id: KpiId
  value: number | null
  numerator: number
  /** null for counts. */
  denominator: number | null
}

/** The one division of a rate: null with a zero base (unknown, not 0 % or 100 %). Campaigns use it for their own counts. */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null
}

export function indicator(id: KpiId, c: KpiCounts): KpiIndicator {
  const d = kpiDefinition(id)
  const numerator = d.numerator(c)
  if (!d.denominator) return { id, value: numerator, numerator, denominator: null }
  const denominator = d.denominator(c)
  return { id, value: share(numerator, denominator), numerator, denominator }
}

/** Every indicator of the catalogue, in its order. */
export function indicators(c: KpiCounts): KpiIndicator[] {
  return KPI_IDS.map(id => indicator(id, c))
}

/** The value of one indicator in a list (null when absent or unknown). */
export function valueOf(list: readonly KpiIndicator[] | undefined, id: KpiId): number | null {
  return list?.find(k => k.id === id)?.value ?? null
}

export type Grade = 'green' | 'amber' | 'red' | 'none'

/** The one grading of every view: red / amber / green in the indicator's good direction; `none` when unknown or ungraded. */
export function gradeOf(id: KpiId, value: number | null): Grade {
  const d = kpiDefinition(id)
  if (value === null || !d.grade) return 'none'
  const good = (limit: number) => (d.better === 'higher' ? value >= limit : value <= limit)
  return good(d.grade.green) ? 'green' : good(d.grade.amber) ? 'amber' : 'red'
}

/** The indicator's name in the UI language. */
export function kpiName(id: KpiId, locale: string): string {
  const d = kpiDefinition(id)
  return locale.startsWith('zh') ? d.zh : d.en
}

/** Display: a rate as a percentage, hours with one decimal and 'h', a count as is; '—' when unknown. */
export function formatIndicator(id: KpiId, value: number | null, decimals = 2): string {
  if (value === null) return '—'
  const unit = kpiDefinition(id).unit
  if (unit === 'rate') return formatRate(value, decimals)
  if (unit === 'hours') return `${value.toFixed(value < 1 ? 2 : 1)} h`
  return Math.round(value).toLocaleString('en-US')
}

/** A share in 0–1 as a percentage with fixed decimals, '—' when unknown. */
export function formatRate(rate: number | null, decimals = 2): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(decimals)}%`
}
