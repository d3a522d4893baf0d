import { getCategory } from '../shared/categories.js'

export type UiLocale = 'zh-CN' | 'en'

export function categoryLabel(code: string, locale: UiLocale): string {
  const c = getCategory(code)
  if (!c) return code
  return locale === 'en' ? c.nameEn : c.name
}

export function bigClassLabel(code: string, locale: UiLocale): string {
  const c = getCategory(code)
  if (!c) return code
  return locale === 'en' ? c.bigNameEn : c.bigName
}

/** Wall-clock time in the city's zone (fixed offset; China has no DST), e.g. "09:41:05". */
export function cityTime(at: number | string, utcOffsetMinutes: number, withSeconds = true): string {
  const ms = typeof at === 'number' ? at : Date.parse(at)
  const iso = new Date(ms + utcOffsetMinutes * 60_000).toISOString()
  return withSeconds ? iso.slice(11, 19) : iso.slice(11, 16)
}

export function cityDate(at: number, utcOffsetMinutes: number): string {
  return new Date(at + utcOffsetMinutes * 60_000).toISOString().slice(0, 10)
}

export function formatCount(n: number | null | undefined, locale: UiLocale): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—'
  return n.toLocaleString(locale === 'en' ? 'en-US' : 'zh-CN')
}
