/** The working calendar's admin warning: `year` has no official holiday schedule, only the statutory holidays. */
export interface CalendarWarning { code: 'statutory-only', year: number, message: string }

/** `GET /api/v1/health`. */
export interface HealthReport { status: 'ok', calendar: { warnings: CalendarWarning[] } }
