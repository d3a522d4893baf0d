import type { SourceKind, SourceView } from '../../shared/sources.js'

/** Pure presentation helpers of the sources page (/ops/sources); unit-tested. */

export type Badge = 'online' | 'offline' | 'never' | 'none'

/** online / offline (in an outage) / never heard since the start / not applicable (API clients, bare HTTP). */
export function badgeOf(s: SourceView): Badge {
  if (s.online === null) return 'none'
  if (s.online) return 'online'
  return s.lastSeenAt === null && s.offlineSince === null ? 'never' : 'offline'
}

/** "3 秒前" / "2 minutes ago", measured against the server's clock reading that came with the list. */
export function relativeTime(iso: string | null, nowIso: string, locale: string): string | null {
  if (iso === null) return null
  const s = Math.max(0, Math.round((Date.parse(nowIso) - Date.parse(iso)) / 1000))
  const fmt = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  if (s < 60) return fmt.format(-s, 'second')
  if (s < 3600) return fmt.format(-Math.floor(s / 60), 'minute')
  if (s < 86_400) return fmt.format(-Math.floor(s / 3600), 'hour')
  return fmt.format(-Math.floor(s / 86_400), 'day')
}

/** Rejection reasons, most frequent first: `schema:lat` → { key: 'schema', field: 'lat', n }. */
export function rejectRows(rejects: Record<string, number>): { reason: string, key: string, field: string | null, n: number }[] {
  return Object.entries(rejects)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, n]) => {
      const at = reason.indexOf(':')
      return { reason, key: at < 0 ? reason : reason.slice(0, at), field: at < 0 ? null : reason.slice(at + 1), n }
    })
}

/** Sources of one kind (null: all); offline devices first, then the busiest. */
export function filterSources(list: readonly SourceView[], kind: SourceKind | null): SourceView[] {
  const rank = (s: SourceView) => ({ offline: 0, never: 1, online: 2, none: 3 })[badgeOf(s)]
  return list.filter(s => kind === null || s.kind === kind)
    .sort((a, b) => rank(a) - rank(b) || b.messagesPerMin - a.messagesPerMin || a.id.localeCompare(b.id))
}

export function countByKind(list: readonly SourceView[]): Partial<Record<SourceKind, number>> {
  const out: Partial<Record<SourceKind, number>> = {}
  for (const s of list) out[s.kind] = (out[s.kind] ?? 0) + 1
  return out
}

/** The part of the id after its kind (`device:wl-01` → wl-01, `open311:2` → 2). */
export const idTail = (s: SourceView) => s.id.slice(s.id.indexOf(':') + 1)
