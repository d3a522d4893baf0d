import type { IncidentSummary } from '../../shared/incident.js'

/**
 * 最新事件 orders by when a report came in, newest first. The live list is ordered by latest change (`seq`), so a
 * status change would lift a report from hours ago above this minute's; ties (same instant) go by id, so a row never
 * moves when only its status changes.
 */
export function byReportedDesc(a: IncidentSummary, b: IncidentSummary): number {
  const d = Date.parse(b.reportedAt) - Date.parse(a.reportedAt)
  return d !== 0 ? d : a.id < b.id ? 1 : a.id > b.id ? -1 : 0
}

/** The `limit` latest reports of a live list, newest first. */
export function latestReports(list: readonly IncidentSummary[], limit: number): IncidentSummary[] {
  return [...list].sort(byReportedDesc).slice(0, limit)
}

/** How many reports of `list` are newer than `top` (the newest one on screen): arrivals held back while reading. */
export function newerThan(list: readonly IncidentSummary[], top: IncidentSummary | undefined): number {
  if (!top) return 0
  return list.filter(i => byReportedDesc(i, top) < 0).length
}
