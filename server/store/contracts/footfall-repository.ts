export interface StoredReading { sensor: string, segment: string, count: number, atMs: number }

/** Footfall counters' readings on greenway segments, kept for a rolling window. Synchronous, as the change log. */
export interface FootfallRepository {
  /** One transaction; answers, per row, whether it was new (sensor + time is the key). */
  insertReadings: (rows: readonly StoredReading[], receivedAt: string) => boolean[]
  /** Readings at or after `ms`, oldest first. */
  readingsSince: (ms: number) => StoredReading[]
  /** Deletes readings older than `ms`; answers how many. */
  pruneReadings: (ms: number) => number
}
