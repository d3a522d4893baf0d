import { describe, expect, it } from 'vitest'
import {
  closureRate, filingRate, formatRate, handlingRate, type KpiCounts, meanDuration, onTimeClosureRate,
  onTimeHandlingRate, postponementRate, reworkRate, satisfactionRate,
} from '../../shared/kpi/formulas.js'

const zero: KpiCounts = {
  reported: 0, filed: 0, dueToClose: 0, closed: 0, closedOnTime: 0, postponed: 0, dueToHandle: 0, handled: 0,
  handledOnTime: 0, reworked: 0, feedbackTotal: 0, feedbackSatisfied: 0,
}

describe('KPI formulas (DOMAIN.md §4)', () => {
  it('reproduces the 2019 safe-community campaign: 192,300 resolved of 194,675 found → 98.78%', () => {
    const c = { ...zero, dueToClose: 194_675, closed: 192_300 }
    expect(formatRate(closureRate(c))).toBe('98.78%')
  })

  it('excludes postponed cases from the closing base', () => {
    // 100 due, 4 postponed, 90 closed of which 72 on time: 90/96 and 72/96
    const c = { ...zero, dueToClose: 100, postponed: 4, closed: 90, closedOnTime: 72, filed: 120 }
    expect(closureRate(c)).toBeCloseTo(0.9375, 10)
    expect(onTimeClosureRate(c)).toBeCloseTo(0.75, 10)
    expect(postponementRate(c)).toBeCloseTo(4 / 120, 10)
  })

  it('computes the small-city month from DOMAIN.md to its published precision', () => {
    // 1,054 cases, 结案率 93.72%, 按期 75.82%: 988 and 799 closed (hand-computed: 988/1054 = 0.93738, 799/1054 = 0.75806)
    const c = { ...zero, dueToClose: 1054, closed: 988, closedOnTime: 799 }
    expect(formatRate(closureRate(c))).toBe('93.74%')
    expect(formatRate(onTimeClosureRate(c))).toBe('75.81%')
  })

  it('computes filing, handling, rework and satisfaction shares', () => {
    const c = { ...zero, reported: 200, filed: 180, dueToHandle: 150, handled: 147, handledOnTime: 141, closed: 140, reworked: 7, feedbackTotal: 60, feedbackSatisfied: 55 }
    expect(filingRate(c)).toBe(0.9)
    expect(handlingRate(c)).toBeCloseTo(0.98, 10)
    expect(onTimeHandlingRate(c)).toBeCloseTo(0.94, 10)
    expect(reworkRate(c)).toBe(0.05)
    expect(formatRate(satisfactionRate(c))).toBe('91.67%')
  })

  it('answers null, shown as —, when there is nothing to divide by', () => {
    expect(closureRate(zero)).toBeNull()
    expect(closureRate({ ...zero, dueToClose: 3, postponed: 3 })).toBeNull()
    expect(formatRate(satisfactionRate(zero))).toBe('—')
    expect(meanDuration(0, 0)).toBeNull()
    expect(meanDuration(3_600_000, 2)).toBe(1_800_000)
  })
})
