/** Live counts for one scope. `byUnit` counts the scope's children: districts for the city, streets for a district. */
export interface CountsByKey { [key: string]: number }

export interface DayCounts {
  total: number
  byStatus: CountsByKey
  byCategory: CountsByKey
  bySource: CountsByKey
  bySeverity: CountsByKey
  byUnit: CountsByKey
}

export interface ScopeAggregates {
  /** Local calendar day (city time zone) that `today` counts, as YYYY-MM-DD. */
  day: string
  today: DayCounts
  /** Reports per hour over the last 24 h; `hourStart` is the ISO start of the first bucket, oldest first. */
  last24h: { hourStart: string, counts: number[] }
  /** Cases in an open state (any day). */
  open: number
}
