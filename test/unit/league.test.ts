import { describe, expect, it } from 'vitest'
import { valueOf } from '../../shared/kpi/catalogue.js'
import { type KpiCounts, zeroCounts } from '../../shared/kpi/counts.js'
import { gradeOnTime, leagueTable } from '../../shared/kpi/league.js'

const counts = (c: Partial<KpiCounts>): KpiCounts => ({ ...zeroCounts(), ...c })

describe('league grading', () => {
  it('grades the on-time rate with the catalogue\'s thresholds, capped by the overdue backlog', () => {
    expect(gradeOnTime(0.95)).toBe('green')
    expect(gradeOnTime(0.85)).toBe('amber')
    expect(gradeOnTime(0.5)).toBe('red')
    expect(gradeOnTime(0.95, 0.3)).toBe('amber')
    expect(gradeOnTime(0.95, 0.6)).toBe('red')
    expect(gradeOnTime(null)).toBe('none')
    expect(gradeOnTime(null, 1)).toBe('red')
  })

  it('orders worst first, each row with the catalogue\'s indicators from its counts', () => {
    const rows = leagueTable([
      { key: '环卫', counts: counts({ open: 10, handled: 100, handledOnTime: 97, dueToHandle: 100 }) },
      // 12 on time of 20 handled + 3 overdue open = 23 应处置
      { key: '交警', counts: counts({ open: 4, overdueOpen: 3, handled: 20, handledOnTime: 12, dueToHandle: 23, reminders: 2, escalated: 1 }) },
      { key: '水务', counts: counts({}) },
    ])
    expect(rows.map(r => [r.key, valueOf(r.indicators, 'onTimeHandlingRate'), r.grade])).toEqual([['交警', 12 / 23, 'red'], ['环卫', 0.97, 'green'], ['水务', null, 'none']])
    expect(rows[0]).toMatchObject({ open: 4, overdue: 3, reminders: 2, escalated: 1 })
  })
})
