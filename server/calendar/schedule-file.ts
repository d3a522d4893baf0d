import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { issuesToDetails } from '../../shared/schemas/errors.js'

/** An official schedule for one year: the State Council's notice, typed into a data file (docs/CALENDAR.md). */
export interface OfficialSchedule {
  year: number
  /** Where it came from: the notice's name, else the file. */
  source: string
  /** Every day off for a holiday, including the weekend days the notice moves into it. */
  holidays: string[]
  /** Make-up working days (调休上班), usually Saturdays or Sundays. */
  workdays: string[]
}

/** 2027-02-30 parses (as March 2) in JavaScript; a real date prints back as itself. */
function isCalendarDate(d: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return false
  const ms = Date.parse(`${d}T00:00:00Z`)
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(d)
}

const date = z.string()
  .refine(isCalendarDate, 'expected a calendar date YYYY-MM-DD')

const isWeekend = (d: string) => [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay())

/** The file format. Strict: an unknown key is a typo (`workday`), not something to ignore. */
export const scheduleFileSchema = z.strictObject({
  year: z.number().int().min(2004).max(2100),
  source: z.string().min(1).max(300).optional(),
  holidays: z.array(date).min(1).max(60),
  workdays: z.array(date).max(30).default([]),
}).superRefine((f, ctx) => {
  const seen = new Set<string>()
  for (const key of ['holidays', 'workdays'] as const) {
    f[key].forEach((d, k) => {
      const path = [key, k]
      if (!isCalendarDate(d)) return // already reported (zod goes on checking after a bad element)
      if (!d.startsWith(`${f.year}-`)) ctx.addIssue({ code: 'custom', path, message: `${d} is not in the year ${f.year}` })
      else if (seen.has(d)) ctx.addIssue({ code: 'custom', path, message: `${d} is listed twice (a day is either a holiday or a make-up working day)` })
      else if (key === 'workdays' && !isWeekend(d)) ctx.addIssue({ code: 'custom', path, message: `${d} is a weekday: a make-up working day (调休上班) is a Saturday or Sunday` })
      seen.add(d)
    })
  }
})

export class CalendarFileError extends Error {
  constructor(readonly details: { file: string, path: string, message: string }[]) {
    super(`invalid calendar file(s):\n${details.map(d => `  ${d.file}: ${d.path}: ${d.message}`).join('\n')}`)
  }
}

/** Validates one file's text; errors name the file and the field (`holidays.3`). */
export function parseScheduleFile(file: string, text: string): OfficialSchedule {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new CalendarFileError([{ file, path: '(file)', message: `not JSON: ${(err as Error).message}` }])
  }
  const parsed = scheduleFileSchema.safeParse(json)
  if (!parsed.success) throw new CalendarFileError(issuesToDetails(parsed.error).map(d => ({ file, ...d })))
  const f = parsed.data
  return { year: f.year, source: f.source ?? path.basename(file), holidays: [...f.holidays].sort(), workdays: [...f.workdays].sort() }
}

/**
 * Every `*.json` in `dir` (a missing folder holds none). All files are checked before any is used, and all
 * errors are reported together, so a half-valid folder never yields a half-loaded calendar.
 */
export function loadScheduleDir(dir: string): OfficialSchedule[] {
  if (!existsSync(dir)) return []
  const files = readdirSync(dir).filter(f => f.endsWith('.json')).sort().map(f => path.join(dir, f))
  const schedules: OfficialSchedule[] = []
  const errors: CalendarFileError['details'] = []
  const fileOfYear = new Map<number, string>()
  for (const file of files) {
    try {
      const s = parseScheduleFile(file, readFileSync(file, 'utf8'))
      const other = fileOfYear.get(s.year)
      if (other) errors.push({ file, path: 'year', message: `${s.year} is also given by ${other}` })
      fileOfYear.set(s.year, file)
      schedules.push(s)
    } catch (err) {
      if (err instanceof CalendarFileError) errors.push(...err.details)
      else throw err
    }
  }
  if (errors.length > 0) throw new CalendarFileError(errors)
  return schedules
}
