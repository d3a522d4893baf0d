import type { CalendarWarning } from '../../shared/calendar.js'
import type { TimeLimit } from '../../shared/categories.js'
import { chineseDaysSchedule } from './chinese-days-schedule.js'
import { officeDayHours, type OfficeHours } from './office-hours.js'
import type { OfficialSchedule } from './schedule-file.js'
import { statutoryHolidays } from './statutory.js'

/** One year of the working calendar, as `GET /api/v1/calendar/:year` returns it (plus where it came from). */
export interface YearCalendar {
  year: number
  /** `statutory`: computed from the law, make-up working days unknown until the State Council's notice is loaded. */
  source: 'official' | 'statutory'
  /** A file's path or notice name, `chinese-days`, or `全国年节及纪念日放假办法`. */
  origin: string
  holidays: string[]
  workdays: string[]
}

export type { CalendarWarning }

export interface WorkingCalendar {
  readonly officeHours: OfficeHours
  /** Hours in one office day (7 by default): a limit in working days is days × this. */
  readonly officeDayHours: number
  /** The dropped-in schedule files (plain data: seed workers rebuild the same calendar from them). */
  readonly files: readonly OfficialSchedule[]
  /** Years given by dropped-in schedule files. */
  readonly fileYears: readonly number[]
  year: (year: number) => YearCalendar
  isWorkday: (day: string) => boolean
  /** The instant `hours` office hours after `startMs` on working days (local time = UTC + offset). */
  addWorkingHours: (startMs: number, hours: number, utcOffsetMinutes: number) => number
  /** 处置时限 of a category's limit from `startMs`. */
  deadlineFor: (startMs: number, limit: TimeLimit, utcOffsetMinutes: number) => number
  /** Warnings for an admin: the current or the next year has only statutory holidays. */
  warnings: (nowMs: number, utcOffsetMinutes: number) => CalendarWarning[]
}

const MINUTE = 60_000
const DAY = 1440 * MINUTE
const STATUTE = '全国年节及纪念日放假办法'

/** A limit in working hours (working days × the office day); clock hours stay clock hours. */
export function limitHours(limit: TimeLimit, dayHours: number): { hours: number, working: boolean } {
  return 'workingDays' in limit ? { hours: limit.workingDays * dayHours, working: true } : limit
}

/**
 * The working calendar: a dropped-in file beats chinese-days beats the statutory holidays computed from the law.
 * Years are resolved once and kept (a deadline looks up the same few days again and again).
 */
export function createWorkingCalendar(options: { officeHours: OfficeHours, files?: readonly OfficialSchedule[], warn?: (message: string, data: object) => void }): WorkingCalendar {
  const files = new Map((options.files ?? []).map(s => [s.year, s]))
  const years = new Map<number, YearCalendar & { off: Set<string>, on: Set<string> }>()
  const dayHours = officeDayHours(options.officeHours)

  function resolve(year: number) {
    let y = years.get(year)
    if (y) return y
    const official = files.get(year) ?? chineseDaysSchedule(year)
    const cal: YearCalendar = official
      ? { year, source: 'official', origin: official.source, holidays: official.holidays, workdays: official.workdays }
      : { year, source: 'statutory', origin: STATUTE, holidays: [...new Set(statutoryHolidays(year).map(h => h.date))], workdays: [] }
    if (!official) {
      options.warn?.('no official holiday schedule for this year: using the statutory holidays only (make-up working days unknown)', { year, holidays: cal.holidays })
    }
    y = { ...cal, off: new Set(cal.holidays), on: new Set(cal.workdays) }
    years.set(year, y)
    return y
  }

  function isWorkday(day: string): boolean {
    const y = resolve(Number(day.slice(0, 4)))
    if (y.on.has(day)) return true
    if (y.off.has(day)) return false
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay()
    return weekday !== 0 && weekday !== 6
  }

  function addWorkingHours(startMs: number, hours: number, utcOffsetMinutes: number): number {
    const offset = utcOffsetMinutes * MINUTE
    let remaining = Math.round(hours * 60)
    let dayStart = Math.floor((startMs + offset) / DAY) * DAY // local midnight, in "local ms"
    let cursor = (startMs + offset - dayStart) / MINUTE
    for (let guard = 0; guard < 800; guard++) {
      if (isWorkday(new Date(dayStart).toISOString().slice(0, 10))) {
        for (const [from, to] of options.officeHours) {
          const begin = Math.max(from, cursor)
          if (begin >= to) continue
          const take = Math.min(remaining, to - begin)
          remaining -= take
          if (remaining <= 0) return dayStart + (begin + take) * MINUTE - offset
        }
      }
      dayStart += DAY
      cursor = 0
    }
    throw new Error(`no working time found within 800 days of ${new Date(startMs).toISOString()}`)
  }

  return {
    officeHours: options.officeHours,
    officeDayHours: dayHours,
    files: [...files.values()],
    fileYears: [...files.keys()].sort(),
    year(year) {
      const { off: _off, on: _on, ...cal } = resolve(year)
      return cal
    },
    isWorkday,
    addWorkingHours,
    deadlineFor(startMs, limit, utcOffsetMinutes) {
      const l = limitHours(limit, dayHours)
      return l.working ? addWorkingHours(startMs, l.hours, utcOffsetMinutes) : startMs + l.hours * 3_600_000
    },
    warnings(nowMs, utcOffsetMinutes) {
      const current = new Date(nowMs + utcOffsetMinutes * MINUTE).getUTCFullYear()
      return [current, current + 1].filter(y => resolve(y).source === 'statutory').map(year => ({
        code: 'statutory-only' as const,
        year,
        message: `${year}: no official holiday schedule loaded; working days follow the statutory holidays only (make-up working days unknown)`,
      }))
    },
  }
}
