import type { IncidentSummary } from '../../shared/incident.js'
import { deadlineFlag } from '../../shared/workflow/deadline.js'

/** Filter dimensions of the case queue; each value is an exact match, '' means any. */
export const FILTER_KEYS = ['district', 'street', 'category', 'severity', 'status', 'source', 'flag'] as const
export type FilterKey = typeof FILTER_KEYS[number]
export type QueueFilters = Record<FilterKey, string> & { q: string }
export type QueueFlag = 'near' | 'overdue' | 'duplicate' | 'extension'

export const EMPTY_FILTERS: QueueFilters = { district: '', street: '', category: '', severity: '', status: '', source: '', flag: '', q: '' }

/** The queue's flags of a case: its deadline flag, a pending duplicate proposal, a pending extension request. */
export function flagsOf(i: IncidentSummary, nowMs: number): QueueFlag[] {
  const out: QueueFlag[] = []
  const d = deadlineFlag(i, nowMs)
  if (d === 'near' || d === 'overdue') out.push(d)
  if (i.duplicateOf) out.push('duplicate')
  if (i.postponeRequested) out.push('extension')
  return out
}

function valuesOf(i: IncidentSummary, key: FilterKey, flags: QueueFlag[]): readonly string[] {
  return key === 'flag' ? flags : [i[key]]
}

export interface QueueView {
  rows: IncidentSummary[]
  /** Per dimension, how many cases each value would show with the other filters kept (faceted counts). */
  counts: Record<FilterKey, Map<string, number>>
}

/**
 * One pass over the queue: the rows passing every filter (newest report first), and faceted counts — a case that
 * fails exactly one dimension still counts for that dimension's options, so each option says what picking it gives.
 */
export function viewQueue(items: Iterable<IncidentSummary>, f: QueueFilters, nowMs: number): QueueView {
  const counts = Object.fromEntries(FILTER_KEYS.map(k => [k, new Map<string, number>()])) as QueueView['counts']
  const rows: IncidentSummary[] = []
  const q = f.q.trim().toLowerCase()
  const active = FILTER_KEYS.filter(k => f[k] !== '')
  for (const i of items) {
    if (q && !i.id.toLowerCase().includes(q) && !i.description.toLowerCase().includes(q)) continue
    const flags = flagsOf(i, nowMs)
    let failed: FilterKey | null = null
    let failures = 0
    for (const k of active) {
      if (!valuesOf(i, k, flags).includes(f[k])) {
        failed = k
        if (++failures > 1) break
      }
    }
    if (failures > 1) continue
    const dims = failures === 1 ? [failed!] : FILTER_KEYS
    for (const k of dims) {
      const m = counts[k]
      for (const v of valuesOf(i, k, flags)) m.set(v, (m.get(v) ?? 0) + 1)
    }
    if (failures === 0) rows.push(i)
  }
  rows.sort((a, b) => b.reportedAt.localeCompare(a.reportedAt) || b.seq - a.seq)
  return { rows, counts }
}
