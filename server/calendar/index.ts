import path from 'node:path'
import type { TimeLimit } from '../../shared/categories.js'
import type { OfficeHours } from './office-hours.js'
import { DEFAULT_OFFICE_HOURS, parseOfficeHours } from './office-hours.js'
import { loadScheduleDir } from './schedule-file.js'
import { createWorkingCalendar, limitHours, type WorkingCalendar } from './working-calendar.js'

export { createWorkingCalendar, type CalendarWarning, type WorkingCalendar, type YearCalendar } from './working-calendar.js'
export { loadScheduleDir, CalendarFileError } from './schedule-file.js'

/**
 * The process's working calendar. Deadlines are computed deep inside the workflow, the seed and the simulator; one
 * calendar per process (installed by createApp from the configuration) spares threading it through every caller.
 * Until then: default office hours, chinese-days and the statutory holidays.
 */
let active: WorkingCalendar = createWorkingCalendar({ officeHours: parseOfficeHours(DEFAULT_OFFICE_HOURS) })

/**
 * The configured calendar: OFFICE_HOURS and the files in CALENDAR_DIR (default DATA_DIR/calendar), installed as the
 * process's. Throws CalendarFileError, naming file and field, when a file is invalid (nothing is installed then).
 */
/** Office hours (minutes after local midnight) and the folder of official schedule files (null: DATA_DIR/calendar). */
export interface CalendarConfig { readonly officeHours: OfficeHours, readonly dir: string | null }

export function loadConfiguredCalendar(config: { calendar: CalendarConfig, dataDir: string }, warn?: (message: string, data: object) => void): WorkingCalendar {
  const dir = config.calendar.dir ?? path.join(config.dataDir, 'calendar')
  const calendar = createWorkingCalendar({ officeHours: config.calendar.officeHours, files: loadScheduleDir(dir), warn })
  installCalendar(calendar)
  return calendar
}

export function installCalendar(calendar: WorkingCalendar): void {
  active = calendar
}

export function activeCalendar(): WorkingCalendar {
  return active
}

/** 处置时限: the deadline of a category's limit from `startMs` (working hours/days on the working calendar). */
export function deadlineFor(startMs: number, limit: TimeLimit, utcOffsetMinutes: number): number {
  return active.deadlineFor(startMs, limit, utcOffsetMinutes)
}

/**
 * A limit's length in hours, working days counted as office days (15 days × 7 h = 105 h), for callers that only
 * need its size (the simulator's lead or lag before a deadline); `fallback` when there is no limit.
 */
export function nominalLimitHours(limit: TimeLimit | undefined, fallback = 4): number {
  return limit ? limitHours(limit, active.officeDayHours).hours : fallback
}

/** The instant `hours` working hours after `startMs`, on the process's working calendar. */
export function addWorkingHours(startMs: number, hours: number, utcOffsetMinutes: number): number {
  return activeCalendar().addWorkingHours(startMs, hours, utcOffsetMinutes)
}
