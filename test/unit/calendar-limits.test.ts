import { describe, expect, it } from 'vitest'
import { activeCalendar, deadlineFor, installCalendar, nominalLimitHours } from '../../server/calendar/index.js'
import { officeDayHours, parseOfficeHours } from '../../server/calendar/office-hours.js'
import { createWorkingCalendar } from '../../server/calendar/working-calendar.js'
import { ConfigError, loadConfig } from '../../server/config.js'
import { CATEGORIES, getCategory } from '../../shared/categories.js'

const cst = (local: string) => Date.parse(`${local}+08:00`)
const local = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')

describe('office hours', () => {
  it('parses the default as 7 hours', () => {
    const hours = parseOfficeHours('09:00-12:00,13:30-17:30')
    expect(hours).toEqual([[540, 720], [810, 1050]])
    expect(officeDayHours(hours)).toBe(7)
    expect(officeDayHours(parseOfficeHours(' 08:30-12:00 , 14:00-18:00 '))).toBe(7.5)
    expect(officeDayHours(parseOfficeHours('00:00-24:00'))).toBe(24)
  })

  it('says which interval is wrong', () => {
    expect(() => parseOfficeHours('')).toThrow(/expected intervals/)
    expect(() => parseOfficeHours('9-12')).toThrow(/interval 1 \(9-12\): "9" is not a time HH:MM/)
    expect(() => parseOfficeHours('09:00-12:00,13:30')).toThrow(/interval 2 \(13:30\): expected HH:MM-HH:MM/)
    expect(() => parseOfficeHours('12:00-09:00')).toThrow(/interval 1 .*ends before it starts/)
    expect(() => parseOfficeHours('09:00-12:00,11:00-17:00')).toThrow(/interval 2 .*overlaps/)
    expect(() => parseOfficeHours('09:00-24:30')).toThrow(/after 24:00/)
  })

  it('is read from OFFICE_HOURS, with an error naming the variable', () => {
    expect(loadConfig({}).calendar).toEqual({ officeHours: [[540, 720], [810, 1050]], dir: null })
    expect(loadConfig({ OFFICE_HOURS: '08:30-12:00,14:00-18:00', CALENDAR_DIR: '/srv/calendar' }).calendar)
      .toEqual({ officeHours: [[510, 720], [840, 1080]], dir: '/srv/calendar' })
    expect(() => loadConfig({ OFFICE_HOURS: '9 to 5' })).toThrow(ConfigError)
    expect(() => loadConfig({ OFFICE_HOURS: '17:00-09:00' })).toThrow(/OFFICE_HOURS: interval 1 \(17:00-09:00\): ends before it starts \(e\.g\. 09:00-12:00,13:30-17:30\)/)
  })
})

describe('limits in working days', () => {
  const calendar = createWorkingCalendar({ officeHours: parseOfficeHours('09:00-12:00,13:30-17:30') })

  it('stores day limits in days: 水域不洁 0105 is 15 working days, 105 office hours, not 120', () => {
    expect(getCategory('0105')!.timeLimit).toEqual({ workingDays: 15 })
    expect(getCategory('0102')!.timeLimit).toEqual({ hours: 4, working: true })
    installCalendar(calendar)
    expect(nominalLimitHours(getCategory('0105')!.timeLimit)).toBe(105)
    expect(nominalLimitHours(getCategory('0403')!.timeLimit)).toBe(0.5)
    expect(nominalLimitHours(undefined)).toBe(4)
    // no day limit is left in 8-hour multiples of working hours
    expect(CATEGORIES.filter(c => 'hours' in c.timeLimit && c.timeLimit.working && c.timeLimit.hours >= 7)).toEqual([])
  })

  it('15 working days from a Monday morning end on the 15th working day at 17:30 (weekends skipped)', () => {
    // Mon 2026-11-09 09:00: 15 working days are Nov 9–13, 16–20, 23–27
    expect(local(calendar.deadlineFor(cst('2026-11-09T09:00'), { workingDays: 15 }, 480))).toBe('2026-11-27 17:30')
    // the old 120 h, at 7 h a day, ran 2 working days and 1 h longer (17 days + 1 h)
    expect(local(calendar.addWorkingHours(cst('2026-11-09T09:00'), 120, 480))).toBe('2026-12-02 10:00')
  })

  it('a day is whatever the configured office day is', () => {
    const long = createWorkingCalendar({ officeHours: parseOfficeHours('08:30-12:00,14:00-18:00') })
    expect(long.officeDayHours).toBe(7.5)
    installCalendar(long)
    expect(nominalLimitHours({ workingDays: 15 })).toBe(112.5)
    expect(local(deadlineFor(cst('2026-11-09T08:30'), { workingDays: 1 }, 480))).toBe('2026-11-09 18:00')
    installCalendar(calendar)
    expect(activeCalendar()).toBe(calendar)
  })

  it('a case dispatched 2026-12-31 16:00 with 4 working hours is due Monday 2027-01-04 11:30', () => {
    // 16:00–17:30 gives 1.5 h; Jan 1 (Friday) is New Year's Day, Jan 2–3 a weekend; Monday 09:00 + 2.5 h = 11:30
    expect(local(calendar.deadlineFor(cst('2026-12-31T16:00'), { hours: 4, working: true }, 480))).toBe('2027-01-04 11:30')
  })
})
