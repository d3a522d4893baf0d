import { draw } from './performance.js'

/**
 * The simulated weather: rain spells, a pure function of (seed, time) so any window, restart or history seed sees the
 * same sky. Each local day may start one spell (chance by month, Chengdu's rainy days: wet summers, dry winters) at
 * a drawn hour, lasting 2–10 h with a drawn intensity; a spell may run past midnight. Water stands on the roads for
 * a few hours after a spell (道路积水 keeps being reported).
 */
export type Sky = 'dry' | 'rain' | 'heavy' | 'after'

/** Rainy days per month in Chengdu (climate normals, rounded), as the chance a day starts a spell. */
const RAINY_DAYS = [6, 8, 12, 14, 15, 17, 18, 16, 17, 15, 9, 5]
const HOUR = 3_600_000
const DAY = 24 * HOUR
/** Hours after a spell in which the roads are still wet. */
export const AFTER_RAIN_HOURS = 3

export interface Spell { startMs: number, endMs: number, heavy: boolean }

/** The spell of a local day (days since the epoch in local time), if it rains that day. */
export function spellOfDay(seed: number, localDay: number, utcOffsetMinutes: number): Spell | null {
  const month = new Date(localDay * DAY).getUTCMonth()
  if (draw(seed, `rain:${localDay}`) >= RAINY_DAYS[month]! / 30) return null
  const startHour = Math.floor(24 * draw(seed, `rain-start:${localDay}`))
  const hours = 2 + 8 * draw(seed, `rain-hours:${localDay}`)
  const startMs = localDay * DAY + startHour * HOUR - utcOffsetMinutes * 60_000
  return { startMs, endMs: startMs + hours * HOUR, heavy: draw(seed, `rain-heavy:${localDay}`) < 0.35 }
}

/** The sky at an instant. */
export function skyAt(seed: number, ms: number, utcOffsetMinutes: number): Sky {
  const localDay = Math.floor((ms + utcOffsetMinutes * 60_000) / DAY)
  let sky: Sky = 'dry'
  // a spell starts at most 24 h before and lasts at most 10 h, plus the wet hours: today's and yesterday's suffice
  for (const d of [localDay - 1, localDay]) {
    const s = spellOfDay(seed, d, utcOffsetMinutes)
    if (!s) continue
    if (ms >= s.startMs && ms < s.endMs) return s.heavy ? 'heavy' : 'rain'
    if (ms >= s.endMs && ms < s.endMs + AFTER_RAIN_HOURS * HOUR) sky = 'after'
  }
  return sky
}
