const DAY_MS = 86_400_000

/** How many days the wall's and the console's KPI tiles cover. */
export const KPI_WINDOW_DAYS = 30

/**
 * Where the KPI tiles' window starts: the city's midnight `days` days ago — whole days, which the server keeps summed
 * (issue #13), and one URL for every screen of a day, so their identical requests share one answer.
 */
export function kpiWindowFrom(nowMs: number, utcOffsetMinutes: number, days = KPI_WINDOW_DAYS): string {
  const offset = utcOffsetMinutes * 60_000
  return new Date(Math.floor((nowMs - days * DAY_MS + offset) / DAY_MS) * DAY_MS - offset).toISOString()
}
