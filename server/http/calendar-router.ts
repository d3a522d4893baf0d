import { Router } from 'express'
import { z } from 'zod'
import { CalendarFileError, type WorkingCalendar } from '../calendar/index.js'
import { sendError } from './errors.js'
import { parseQuery } from './query.js'

// Years the calendar can answer for: chinese-days' official tables start in 2004, its lunar tables end in 2100.
const MIN_YEAR = 2004
const MAX_YEAR = 2099

const yearParam = z.strictObject({
  year: z.string().regex(/^\d{4}$/, 'expected a four-digit year').transform(Number)
    .pipe(z.number().min(MIN_YEAR, `from ${MIN_YEAR}`).max(MAX_YEAR, `up to ${MAX_YEAR}`)),
})

const dueQuery = z.strictObject({
  from: z.iso.datetime({ offset: true, message: 'expected an ISO date-time with an offset, e.g. 2026-12-31T16:00:00+08:00' })
    .refine(s => { const y = new Date(s).getUTCFullYear(); return y >= MIN_YEAR && y < MAX_YEAR }, `a date from ${MIN_YEAR} to ${MAX_YEAR - 1}`),
  // a year of office hours at most (250 days × 7 h ≈ 1750)
  workingHours: z.string().regex(/^\d+(\.\d+)?$/, 'expected a positive number of hours').transform(Number)
    .pipe(z.number().positive('more than 0 hours').max(2000, 'at most 2000 hours')),
})

export interface CalendarRouterDeps {
  calendar: () => WorkingCalendar
  utcOffsetMinutes: number
  now: () => number
  /** Re-reads the schedule files; throws CalendarFileError (the calendar in use stays) when one is invalid. */
  reload: () => WorkingCalendar
}

/** The working calendar: a year's holidays and make-up working days, a due date, and a reload of the files. */
export function calendarRouter(deps: CalendarRouterDeps): Router {
  const router = Router()
  router.get('/calendar/due', (req, res) => {
    const q = parseQuery(dueQuery, req, res)
    if (!q) return
    const due = deps.calendar().addWorkingHours(Date.parse(q.from), q.workingHours, deps.utcOffsetMinutes)
    res.json({ due: new Date(due).toISOString() })
  })
  router.get('/calendar/:year', (req, res) => {
    const p = yearParam.safeParse(req.params)
    if (!p.success) return sendError(res, 400, 'invalid year', [{ path: 'year', message: `year: ${p.error.issues[0]?.message ?? 'invalid'}` }])
    const { year, source, holidays, workdays } = deps.calendar().year(p.data.year)
    res.json({ year, source, holidays, workdays })
  })
  router.post('/calendar/reload', (_req, res) => {
    try {
      const calendar = deps.reload()
      res.json({ files: calendar.fileYears, warnings: calendar.warnings(deps.now(), deps.utcOffsetMinutes) })
    } catch (err) {
      if (!(err instanceof CalendarFileError)) throw err
      sendError(res, 400, 'invalid calendar file', err.details.map(d => ({ path: `${d.file}:${d.path}`, message: d.message })))
    }
  })
  return router
}
