const HOUR_MS = 3_600_000

const DAY_MS = 86_400_000
let memoIndex = Number.NaN
let memoDay = ''

/**
 * Calendar day (YYYY-MM-DD) of an instant in a fixed-offset zone. China has one zone and no DST, so an offset
 * suffices. Called several times per ingested event, nearly always for the same day: the last answer is memoised.
 */
export function localDay(ms: number, utcOffsetMinutes: number): string {
  const local = ms + utcOffsetMinutes * 60_000
  const index = Math.floor(local / DAY_MS)
  if (index !== memoIndex) {
    memoIndex = index
    memoDay = new Date(index * DAY_MS).toISOString().slice(0, 10)
  }
  return memoDay
}

/** The instant the local calendar day containing `ms` began. */
export function localDayStartMs(ms: number, utcOffsetMinutes: number): number {
  const offset = utcOffsetMinutes * 60_000
  return Math.floor((ms + offset) / DAY_MS) * DAY_MS - offset
}

/** Whole hours since the epoch: the key of an hourly bucket (offsets in China are whole hours). */
export function hourIndex(ms: number): number {
  return Math.floor(ms / HOUR_MS)
}

export function hourStartIso(index: number): string {
  return new Date(index * HOUR_MS).toISOString()
}

export { HOUR_MS }
