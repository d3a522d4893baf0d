/**
 * KPI formulas (DOMAIN.md §4), written once and used by server and client. Each returns a share in 0–1, or null
 * when its denominator is zero (a rate of nothing is unknown, not 0% or 100%).
 */
export interface KpiCounts {
  /** 有效上报数: valid reports. */
  reported: number
  /** 立案数 */
  filed: number
  /** 应结案数: cases whose closing falls in the period. */
  dueToClose: number
  /** 结案数 */
  closed: number
  /** 按期结案数 */
  closedOnTime: number
  /** 缓办数: postponed cases, excluded from the closing base. */
  postponed: number
  /** 应处置数 */
  dueToHandle: number
  /** 处置数 */
  handled: number
  /** 按期处置数 */
  handledOnTime: number
  /** Closed cases with at least one failed verification (返工). */
  reworked: number
  feedbackTotal: number
  feedbackSatisfied: number
}

export function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null
}

/** 结案率 = 结案数 / (应结案数 − 缓办数) */
export const closureRate = (c: KpiCounts) => share(c.closed, c.dueToClose - c.postponed)
/** 按期结案率 = 按期结案数 / (应结案数 − 缓办数) */
export const onTimeClosureRate = (c: KpiCounts) => share(c.closedOnTime, c.dueToClose - c.postponed)
/** 立案率 = 立案数 / 有效上报数 */
export const filingRate = (c: KpiCounts) => share(c.filed, c.reported)
/** 处置率 = 处置数 / 应处置数 */
export const handlingRate = (c: KpiCounts) => share(c.handled, c.dueToHandle)
/** 按期处置率 = 按期处置数 / 应处置数 */
export const onTimeHandlingRate = (c: KpiCounts) => share(c.handledOnTime, c.dueToHandle)
/** 返工率 = cases with ≥ 1 failed check / 结案数 */
export const reworkRate = (c: KpiCounts) => share(c.reworked, c.closed)
/** 延期率 = postponed cases / 立案数 */
export const postponementRate = (c: KpiCounts) => share(c.postponed, c.filed)
/** 群众满意率 = satisfied feedback / all feedback */
export const satisfactionRate = (c: KpiCounts) => share(c.feedbackSatisfied, c.feedbackTotal)

/** Mean of durations in ms, or null when there are none (平均受理时长, 平均处置时长). */
export function meanDuration(totalMs: number, count: number): number | null {
  return count > 0 ? totalMs / count : null
}

/** Display helper: a share as a percentage with fixed decimals, '—' when unknown. */
export function formatRate(rate: number | null, decimals = 2): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(decimals)}%`
}
