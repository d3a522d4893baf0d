import { describe, expect, it } from 'vitest'
import { gradeOnTime, leagueTable } from '../../shared/kpi/league.js'
import { kpiReport } from '../../shared/kpi/report.js'

describe('department league table', () => {
  it('grades on-time rates red / amber / green, capped by an overdue backlog', () => {
    expect(gradeOnTime(0.95)).toBe('green')
    expect(gradeOnTime(0.8)).toBe('amber')
    expect(gradeOnTime(0.5)).toBe('red')
    expect(gradeOnTime(0.95, 0.3)).toBe('amber')
    expect(gradeOnTime(null)).toBe('none')
    expect(gradeOnTime(null, 1)).toBe('red')
  })

  it('orders worst first, with each rate from its counts', () => {
    const rows = leagueTable([
      { key: '环卫', open: 10, overdue: 0, handled: 100, handledOnTime: 97, reminders: 0, escalated: 0 },
      { key: '交警', open: 4, overdue: 3, handled: 20, handledOnTime: 12, reminders: 2, escalated: 1 },
      { key: '水务', open: 0, overdue: 0, handled: 0, handledOnTime: 0, reminders: 0, escalated: 0 },
    ])
    expect(rows.map(r => [r.key, r.onTimeRate, r.grade])).toEqual([['交警', 0.6, 'red'], ['环卫', 0.97, 'green'], ['水务', null, 'none']])
  })
})

describe('KPI report', () => {
  it('computes every KPI from one set of counts (hand-computed)', () => {
    const r = kpiReport({
      reported: 200, filed: 180, dueToClose: 150, closed: 140, closedOnTime: 126, postponed: 10, dueToHandle: 160, handled: 150,
      handledOnTime: 135, reworked: 7, feedbackTotal: 40, feedbackSatisfied: 36, acceptMsTotal: 180 * 600_000, acceptCount: 180,
      handleMsTotal: 150 * 7_200_000, handleCount: 150,
    })
    expect(r.closureRate).toBe(1) // 140 / (150 − 10)
    expect(r.onTimeClosureRate).toBe(0.9) // 126 / 140
    expect(r.filingRate).toBe(0.9)
    expect(r.handlingRate).toBeCloseTo(0.9375)
    expect(r.onTimeHandlingRate).toBeCloseTo(0.84375)
    expect(r.reworkRate).toBe(0.05)
    expect(r.postponementRate).toBeCloseTo(10 / 180)
    expect(r.satisfactionRate).toBe(0.9)
    expect(r.meanAcceptMs).toBe(600_000)
    expect(r.meanHandleMs).toBe(7_200_000)
  })
})
