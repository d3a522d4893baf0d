import { describe, expect, it } from 'vitest'
import { createWorkingCalendar } from '../../server/calendar/working-calendar.js'
import { parseOfficeHours } from '../../server/calendar/office-hours.js'
import { statutoryHolidays } from '../../server/calendar/statutory.js'

const officeHours = parseOfficeHours('09:00-12:00,13:30-17:30')

describe('statutory holidays (全国年节及纪念日放假办法, 2024)', () => {
  it('2027: Jan 1; Feb 5–8; Apr 5; May 1–2; Jun 9; Sep 15; Oct 1–3', () => {
    expect(statutoryHolidays(2027)).toEqual([
      { date: '2027-01-01', name: '元旦' },
      { date: '2027-02-05', name: '春节' }, // 除夕 = 腊月廿九: 腊月 has 29 days in 2027
      { date: '2027-02-06', name: '春节' },
      { date: '2027-02-07', name: '春节' },
      { date: '2027-02-08', name: '春节' },
      { date: '2027-04-05', name: '清明节' },
      { date: '2027-05-01', name: '劳动节' },
      { date: '2027-05-02', name: '劳动节' },
      { date: '2027-06-09', name: '端午节' },
      { date: '2027-09-15', name: '中秋节' },
      { date: '2027-10-01', name: '国庆节' },
      { date: '2027-10-02', name: '国庆节' },
      { date: '2027-10-03', name: '国庆节' },
    ])
  })

  it('2028: Spring Festival in January, 清明 on Apr 4, 端午 in a leap year, 中秋 on Oct 3 with 国庆', () => {
    const days = statutoryHolidays(2028)
    expect(days.map(d => `${d.date} ${d.name}`)).toEqual([
      '2028-01-01 元旦',
      '2028-01-25 春节', '2028-01-26 春节', '2028-01-27 春节', '2028-01-28 春节',
      '2028-04-04 清明节',
      '2028-05-01 劳动节', '2028-05-02 劳动节',
      '2028-05-28 端午节', // 五月初五 of the ordinary fifth month, not the leap one (闰五月)
      '2028-10-01 国庆节', '2028-10-02 国庆节', '2028-10-03 中秋节', '2028-10-03 国庆节',
    ])
    // as a year of the calendar: 12 distinct days off (the notice will say how the overlap is made up)
    const cal = createWorkingCalendar({ officeHours }).year(2028)
    expect(cal).toMatchObject({ source: 'statutory', workdays: [] })
    expect(cal.holidays).toHaveLength(12)
  })

  it('agrees with the official schedules chinese-days has, for every statutory day from 2025 (the 2024 amendment)', () => {
    const cal = createWorkingCalendar({ officeHours })
    for (const year of [2025, 2026]) {
      const official = cal.year(year)
      expect(official.source).toBe('official')
      for (const d of statutoryHolidays(year)) expect(official.holidays, `${year} ${d.name}`).toContain(d.date)
    }
  })

  it('marks an uncovered year statutory, skips its holidays and warns once', () => {
    const warnings: unknown[] = []
    const cal = createWorkingCalendar({ officeHours, warn: (msg, data) => warnings.push({ msg, data }) })
    expect(cal.year(2027)).toMatchObject({ year: 2027, source: 'statutory', origin: '全国年节及纪念日放假办法', workdays: [] })
    expect(cal.isWorkday('2027-01-01')).toBe(false) // Friday, New Year's Day
    expect(cal.isWorkday('2027-02-08')).toBe(false) // Monday, 初三
    expect(cal.isWorkday('2027-02-09')).toBe(true)
    expect(cal.isWorkday('2027-02-06')).toBe(false) // Saturday
    expect(warnings).toHaveLength(1)
    expect(cal.warnings(Date.parse('2026-12-07T12:00:00+08:00'), 480)).toEqual([expect.objectContaining({ code: 'statutory-only', year: 2027 })])
    expect(cal.warnings(Date.parse('2025-06-01T12:00:00+08:00'), 480)).toEqual([])
    expect(warnings).toHaveLength(1)
  })
})
