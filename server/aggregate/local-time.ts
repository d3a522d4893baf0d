const HOUR_MS = 3_600_000

/** Calendar day (YYYY-MM-DD) of an instant in a fixed-offset zone. China has one zone and no DST, so an offset suffices. */
export function localDay(ms: number, utcOffsetMinutes: number): string {
  return new Date(ms + utcOffsetMinutes * 60_000).toISOString().slice(0, 10)
}

/** Whole hours since the epoch: the key of an hourly bucket (offsets in China are whole hours). */
export function hourIndex(ms: number): number {
  return Math.floor(ms / HOUR_MS)
}

export function hourStartIso(index: number): string {
  return new Date(index * HOUR_MS).toISOString()
}

export { HOUR_MS }
