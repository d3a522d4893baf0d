import { gradeOf, type Grade, indicators, type KpiIndicator, valueOf } from './catalogue.js'
import type { KpiCounts } from './counts.js'

export type { Grade } from './catalogue.js'

/** The indicator the league ranks and grades by. */
export const LEAGUE_KPI = 'onTimeHandlingRate' as const

/** A backlog caps the grade: a unit cannot be green while a fifth of its open cases are late, nor amber past half. */
const GREEN_MAX_OVERDUE_SHARE = 0.2
const AMBER_MAX_OVERDUE_SHARE = 0.5

/** The catalogue's grade of 按期处置率, capped by the share of open cases that are overdue. */
export function gradeOnTime(rate: number | null, overdueShare = 0): Grade {
  const grade = gradeOf(LEAGUE_KPI, rate)
  if (grade === 'none') return overdueShare > 0 ? 'red' : 'none'
  if (grade === 'green' && overdueShare >= GREEN_MAX_OVERDUE_SHARE) return overdueShare >= AMBER_MAX_OVERDUE_SHARE ? 'red' : 'amber'
  if (grade === 'amber' && overdueShare >= AMBER_MAX_OVERDUE_SHARE) return 'red'
  return grade
}

export interface LeagueCounts { key: string, counts: KpiCounts }
export interface LeagueRow {
  key: string
  open: number
  overdue: number
  reminders: number
  escalated: number
  /** Every catalogue indicator of the unit over the period (the same figures as /kpis for it). */
  indicators: KpiIndicator[]
  grade: Grade
}

/** League table rows, worst first: lowest on-time handling rate, then most overdue. */
export function leagueTable(rows: readonly LeagueCounts[]): LeagueRow[] {
  return rows
    .map(({ key, counts: c }) => {
      const list = indicators(c)
      return {
        key, open: c.open, overdue: c.overdueOpen, reminders: c.reminders, escalated: c.escalated, indicators: list,
        grade: gradeOnTime(valueOf(list, LEAGUE_KPI), c.open > 0 ? c.overdueOpen / c.open : 0),
      }
    })
    .sort((a, b) => (valueOf(a.indicators, LEAGUE_KPI) ?? 2) - (valueOf(b.indicators, LEAGUE_KPI) ?? 2) || b.overdue - a.overdue || a.key.localeCompare(b.key))
}
