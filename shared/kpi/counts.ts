/**
 * The one counts type every KPI is computed from (docs/KPIS.md gives each base precisely). The server fills it in one
 * place (the store's `kpiCounts`); the catalogue (catalogue.ts) turns it into indicators.
 *
 * Every field is a plain count (or a sum) over the cases reported in the period, merged reports left out: counts are
 * additive, so the counts of a district are the sums of its streets' and a group-by needs no second query.
 * "Open" below means not closed, rejected or merged; "now" is the server's clock when the counts are taken.
 */
export interface KpiCounts {
  /** 有效上报数: reports in the period (merged ones are counted once, in the case they repeat). */
  reported: number
  /** Reports the centre has judged: filed (立案) or rejected (不予立案). The base of 立案率. */
  judged: number
  /** 立案数: reports that were filed (filed_at set). ⊆ judged. */
  filed: number
  /** 应结案数: closed cases + open filed cases past their deadline + 缓办 (below). */
  dueToClose: number
  /** 结案数: closed cases, less those a grid worker fixed on the spot (自行处置 never entered the case flow). */
  closed: number
  /** 按期结案数: closed cases handled by their deadline. ⊆ closed. */
  closedOnTime: number
  /** 缓办数: open cases with a granted postponement whose (new) deadline has not passed. ⊆ dueToClose, disjoint from closed. */
  postponed: number
  /** 应处置数: cases handled (handled_at set) or waiting on a department past their deadline now. */
  dueToHandle: number
  /** 处置数: cases with a handled time. ⊆ dueToHandle. */
  handled: number
  /** 按期处置数: handled by the deadline. ⊆ handled. */
  handledOnTime: number
  /** Cases handled at least once (handled now, or sent back by a failed verification). The base of 返工率. */
  submitted: number
  /** Cases with at least one failed verification (返工). ⊆ submitted. */
  reworked: number
  /** Filed cases that were ever postponed (延期). ⊆ filed. */
  postponedEver: number
  /** Cases waiting on a department (dispatched or postponed) now. */
  open: number
  /** 超期: of `open`, those past their deadline now. */
  overdueOpen: number
  /** Citizens' verdicts on closed public reports, and the satisfied ones among them. */
  feedbackTotal: number
  feedbackSatisfied: number
  /** Σ (filed − reported) in hours over filed cases, and their number (平均受理时长). */
  acceptHoursTotal: number
  acceptCount: number
  /** Σ (handled − dispatched) in hours over handled dispatched cases, and their number (平均处置时长). */
  handleHoursTotal: number
  handleCount: number
  /** 催办 (reminders, summed) and 督办 (escalated cases). */
  reminders: number
  escalated: number
  /** Dispatches to a department (a re-dispatch after a return counts again), and returns (退回) of a mis-dispatch. returned ≤ dispatches. */
  dispatches: number
  returned: number
  /** 自行处置数: reports a grid worker fixed on the spot (closed without filing; outside every base above). */
  selfHandled: number
}

export const COUNT_FIELDS = [
  'reported', 'judged', 'filed', 'dueToClose', 'closed', 'closedOnTime', 'postponed', 'dueToHandle', 'handled', 'handledOnTime',
  'submitted', 'reworked', 'postponedEver', 'open', 'overdueOpen', 'feedbackTotal', 'feedbackSatisfied', 'acceptHoursTotal', 'acceptCount',
  'handleHoursTotal', 'handleCount', 'reminders', 'escalated', 'dispatches', 'returned', 'selfHandled',
] as const satisfies readonly (keyof KpiCounts)[]

export function zeroCounts(): KpiCounts {
  return Object.fromEntries(COUNT_FIELDS.map(f => [f, 0])) as unknown as KpiCounts
}

/** a += b, field by field (counts are additive). */
export function addCounts(a: KpiCounts, b: KpiCounts): KpiCounts {
  for (const f of COUNT_FIELDS) a[f] += b[f]
  return a
}

/**
 * Durations are counted to 1/1024 h (≈ 3.5 s): sums of such values are exact in any order, so counts summed by
 * street, by department or all at once agree to the bit, and so do the store's scan and the maintained counts.
 */
export const HOUR_QUANTUM = 1024
/** From `fromIso` to `toIso` in hours, to 1/HOUR_QUANTUM h (the store's scan does the same arithmetic in SQL). */
export function quantizedHours(fromIso: string, toIso: string): number {
  const ms = Date.parse(toIso) - Date.parse(fromIso)
  return Math.round(ms * HOUR_QUANTUM / 3_600_000) / HOUR_QUANTUM
}
