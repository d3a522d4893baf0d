import type { CountsByKey, DayCounts } from '../../shared/aggregates.js'

export function emptyDayCounts(): DayCounts {
  return { total: 0, byStatus: {}, byCategory: {}, bySource: {}, bySeverity: {}, byUnit: {} }
}

export function bump(counts: CountsByKey, key: string, by: number): void {
  const next = (counts[key] ?? 0) + by
  if (next === 0) delete counts[key]
  else counts[key] = next
}

export function cloneDayCounts(c: DayCounts): DayCounts {
  return {
    total: c.total,
    byStatus: { ...c.byStatus },
    byCategory: { ...c.byCategory },
    bySource: { ...c.bySource },
    bySeverity: { ...c.bySeverity },
    byUnit: { ...c.byUnit },
  }
}
