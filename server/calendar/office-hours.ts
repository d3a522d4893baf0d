/** Office hours of a working day: intervals in minutes after local midnight, in order, not overlapping. */
export type OfficeHours = readonly (readonly [number, number])[]

/** The centre's office day: 09:00–12:00 and 13:30–17:30, 7 hours (`OFFICE_HOURS` overrides it). */
export const DEFAULT_OFFICE_HOURS = '09:00-12:00,13:30-17:30'

const TIME = /^([01]\d|2[0-4]):([0-5]\d)$/

function minutes(text: string, where: string): number {
  const m = TIME.exec(text.trim())
  if (!m) throw new Error(`${where}: "${text.trim()}" is not a time HH:MM`)
  const value = Number(m[1]) * 60 + Number(m[2])
  if (value > 1440) throw new Error(`${where}: "${text.trim()}" is after 24:00`)
  return value
}

/**
 * Parses `HH:MM-HH:MM[,HH:MM-HH:MM…]`; throws an Error saying which interval is wrong
 * (not a time, empty, out of order or overlapping).
 */
export function parseOfficeHours(text: string): OfficeHours {
  const parts = text.split(',').map(p => p.trim()).filter(Boolean)
  if (parts.length === 0) throw new Error('expected intervals like 09:00-12:00,13:30-17:30')
  const intervals: [number, number][] = []
  parts.forEach((part, k) => {
    const where = `interval ${k + 1} (${part})`
    const [from, to, extra] = part.split('-')
    if (from === undefined || to === undefined || extra !== undefined) throw new Error(`${where}: expected HH:MM-HH:MM`)
    const range: [number, number] = [minutes(from, where), minutes(to, where)]
    if (range[1] <= range[0]) throw new Error(`${where}: ends before it starts`)
    const previous = intervals.at(-1)
    if (previous && range[0] < previous[1]) throw new Error(`${where}: overlaps or precedes the interval before it`)
    intervals.push(range)
  })
  return Object.freeze(intervals.map(r => Object.freeze(r)))
}

/** Length of the office day in hours (7 for the default). */
export function officeDayHours(hours: OfficeHours): number {
  return hours.reduce((sum, [from, to]) => sum + to - from, 0) / 60
}
