import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { formatIndicator, formatRate, gradeOf, indicator, indicators, KPI_CATALOGUE, KPI_IDS, type KpiId, valueOf } from '../../shared/kpi/catalogue.js'
import { COUNT_FIELDS, type KpiCounts, zeroCounts } from '../../shared/kpi/counts.js'

const zero = zeroCounts()
const value = (id: KpiId, c: Partial<KpiCounts>) => indicator(id, { ...zero, ...c }).value

describe('KPI catalogue (DOMAIN.md §4, issue #11)', () => {
  it('declares at least the issue\'s ids, each once, with names, unit, direction and a definition', () => {
    for (const id of ['closureRate', 'onTimeClosureRate', 'filingRate', 'handlingRate', 'onTimeHandlingRate', 'reworkRate', 'postponementRate', 'satisfactionRate', 'meanHandlingHours', 'overdueOpen']) {
      expect(KPI_IDS).toContain(id)
    }
    expect(new Set(KPI_IDS).size).toBe(KPI_IDS.length)
    for (const k of KPI_CATALOGUE) {
      expect(k.zh).toMatch(/\p{Script=Han}/u)
      expect(k.en).toMatch(/^[A-Z]/)
      expect(k.definition.length).toBeGreaterThan(20)
      expect('denominator' in k).toBe(k.unit !== 'count')
    }
  })

  it('lists every count field once in COUNT_FIELDS', () => {
    expect(Object.keys(zero).sort()).toEqual([...COUNT_FIELDS].sort())
  })

  it('reproduces the 2019 safe-community campaign: 192,300 resolved of 194,675 found → 98.78%', () => {
    expect(formatRate(value('closureRate', { dueToClose: 194_675, closed: 192_300 }))).toBe('98.78%')
  })

  it('leaves 缓办 out of the closing base', () => {
    // 100 due of which 4 postponed (open, within the granted deadline), 90 closed of which 72 on time: 90/96 and 72/96
    const c = { dueToClose: 100, postponed: 4, closed: 90, closedOnTime: 72, filed: 120, postponedEver: 6 }
    expect(value('closureRate', c)).toBeCloseTo(0.9375, 10)
    expect(value('onTimeClosureRate', c)).toBeCloseTo(0.75, 10)
    expect(value('postponementRate', c)).toBeCloseTo(6 / 120, 10)
  })

  it('computes the small-city month from DOMAIN.md to its published precision', () => {
    // 1,054 cases, 结案率 93.72%, 按期 75.82%: 988 and 799 closed (hand-computed: 988/1054 = 0.93738, 799/1054 = 0.75806)
    const c = { dueToClose: 1054, closed: 988, closedOnTime: 799 }
    expect(formatRate(value('closureRate', c))).toBe('93.74%')
    expect(formatRate(value('onTimeClosureRate', c))).toBe('75.81%')
  })

  it('computes filing over judged reports, handling over 应处置, rework over submitted cases (hand-computed)', () => {
    const c = {
      reported: 220, judged: 200, filed: 180, dueToHandle: 150, handled: 147, handledOnTime: 141, submitted: 140, reworked: 7,
      feedbackTotal: 60, feedbackSatisfied: 55, handleHoursTotal: 294, handleCount: 147, acceptHoursTotal: 18, acceptCount: 180, overdueOpen: 3,
    }
    expect(value('filingRate', c)).toBe(0.9) // 180 / 200: the 20 untriaged reports are in neither
    expect(value('handlingRate', c)).toBeCloseTo(0.98, 10)
    expect(value('onTimeHandlingRate', c)).toBeCloseTo(0.94, 10)
    expect(value('reworkRate', c)).toBe(0.05)
    expect(formatRate(value('satisfactionRate', c))).toBe('91.67%')
    expect(value('meanHandlingHours', c)).toBe(2)
    expect(value('meanAcceptHours', c)).toBe(0.1)
    expect(indicator('overdueOpen', { ...zero, ...c })).toEqual({ id: 'overdueOpen', value: 3, numerator: 3, denominator: null })
  })

  it('answers null, shown as —, when there is nothing to divide by', () => {
    expect(value('closureRate', {})).toBeNull()
    expect(value('closureRate', { dueToClose: 3, postponed: 3 })).toBeNull()
    expect(formatIndicator('satisfactionRate', value('satisfactionRate', {}))).toBe('—')
    expect(value('meanHandlingHours', {})).toBeNull()
    expect(indicators(zero).map(k => k.id)).toEqual(KPI_IDS)
    expect(valueOf(indicators(zero), 'overdueOpen')).toBe(0)
  })

  it('grades in each indicator\'s good direction with one set of thresholds', () => {
    expect(gradeOf('onTimeHandlingRate', 0.95)).toBe('green')
    expect(gradeOf('onTimeHandlingRate', 0.85)).toBe('amber')
    expect(gradeOf('onTimeHandlingRate', 0.5)).toBe('red')
    expect(gradeOf('reworkRate', 0.01)).toBe('green')
    expect(gradeOf('reworkRate', 0.2)).toBe('red')
    expect(gradeOf('closureRate', null)).toBe('none')
    expect(gradeOf('overdueOpen', 5)).toBe('none')
  })

  it('is described in docs/KPIS.md: every id with its formula', () => {
    const doc = readFileSync(new URL('../../docs/KPIS.md', import.meta.url), 'utf8')
    for (const k of KPI_CATALOGUE) {
      expect(doc, k.id).toContain(`\`${k.id}\``)
      expect(doc, k.id).toContain(k.zh)
    }
  })
})
