// The working calendar lives in server/calendar/ (official files, chinese-days, statutory holidays, office hours);
// these are the names the workflow has always imported.
import { activeCalendar, deadlineFor } from '../calendar/index.js'

export { deadlineFor }

/** The instant `hours` working hours after `startMs`, on the process's working calendar. */
export function addWorkingHours(startMs: number, hours: number, utcOffsetMinutes: number): number {
  return activeCalendar().addWorkingHours(startMs, hours, utcOffsetMinutes)
}
