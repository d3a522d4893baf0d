import { createRequire } from 'node:module'
import type { OfficialSchedule } from './schedule-file.js'

// chinese-days ships its tables as one JSON ("YYYY-MM-DD" → "English,中文,days"); read it directly to know which
// years it covers: its isWorkday() treats an uncovered year as ordinary weekdays without saying so.
const table = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as {
  holidays: Record<string, string>
  workdays: Record<string, string>
}

function byYear(days: Record<string, string>): Map<number, string[]> {
  const map = new Map<number, string[]>()
  for (const d of Object.keys(days).sort()) {
    const y = Number(d.slice(0, 4))
    map.set(y, [...map.get(y) ?? [], d])
  }
  return map
}

const holidays = byYear(table.holidays)
const workdays = byYear(table.workdays)

/** The State Council's schedule for `year` as packaged in chinese-days, or null where the package has none. */
export function chineseDaysSchedule(year: number): OfficialSchedule | null {
  const h = holidays.get(year)
  if (!h) return null
  return { year, source: 'chinese-days', holidays: h, workdays: workdays.get(year) ?? [] }
}
