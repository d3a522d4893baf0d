// Default import: Node loads the package's CommonJS build, whose named exports it cannot see statically.
import chineseDays from 'chinese-days'

const { isWorkday } = chineseDays

/** Office hours of a working day, in minutes after local midnight: 09:00–12:00 and 13:30–17:30 (7 h). */
export const OFFICE_HOURS: readonly [number, number][] = [[9 * 60, 12 * 60], [13 * 60 + 30, 17 * 60 + 30]]

const MINUTE = 60_000
const DAY = 1440 * MINUTE

/**
 * The instant `hours` working hours after `startMs`, counting only office hours on working days of China's calendar:
 * weekends and public holidays are skipped, make-up working days (调休, e.g. Saturday 2026-02-14) count.
 * `chinese-days` keeps the holiday table, so no list is typed in here.
 */
export function addWorkingHours(startMs: number, hours: number, utcOffsetMinutes: number, workday: (day: string) => boolean = isWorkday): number {
  const offset = utcOffsetMinutes * MINUTE
  let remaining = Math.round(hours * 60)
  let dayStart = Math.floor((startMs + offset) / DAY) * DAY // local midnight, in "local ms"
  let cursor = (startMs + offset - dayStart) / MINUTE
  for (let guard = 0; guard < 800; guard++) {
    if (workday(new Date(dayStart).toISOString().slice(0, 10))) {
      for (const [from, to] of OFFICE_HOURS) {
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

/** 处置时限: a category's limit from a start instant, on the working calendar when the standard counts working hours. */
export function deadlineFor(startMs: number, limit: { hours: number, working: boolean }, utcOffsetMinutes: number): number {
  return limit.working ? addWorkingHours(startMs, limit.hours, utcOffsetMinutes) : startMs + limit.hours * 3_600_000
}
