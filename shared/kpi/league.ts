import { share } from './formulas.js'

/** Red / amber / green for an on-time rate (按期处置率); `none` when nothing was due. */
export type Grade = 'green' | 'amber' | 'red' | 'none'
export const GRADE_GREEN_FROM = 0.9
export const GRADE_AMBER_FROM = 0.75

export function gradeOnTime(rate: number | null, overdueShare = 0): Grade {
  if (rate === null) return overdueShare > 0 ? 'red' : 'none'
  // a backlog of overdue cases caps the grade: a unit cannot be green while a fifth of its open cases are late
  if (rate >= GRADE_GREEN_FROM && overdueShare < 0.2) return 'green'
  if (rate >= GRADE_AMBER_FROM && overdueShare < 0.5) return 'amber'
  return 'red'
}

export interface LeagueCounts { key: string, open: number, overdue: number, handled: number, handledOnTime: number, reminders: number, escalated: number }
export interface LeagueRow extends LeagueCounts { onTimeRate: number | null, grade: Grade }

/** League table rows, worst first: lowest on-time rate, then most overdue. */
export function leagueTable(rows: readonly LeagueCounts[]): LeagueRow[] {
  return rows
    .map((r) => {
      const onTimeRate = share(r.handledOnTime, r.handled)
      return { ...r, onTimeRate, grade: gradeOnTime(onTimeRate, r.open > 0 ? r.overdue / r.open : 0) }
    })
    .sort((a, b) => (a.onTimeRate ?? 2) - (b.onTimeRate ?? 2) || b.overdue - a.overdue || a.key.localeCompare(b.key))
}
