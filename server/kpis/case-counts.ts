import { COUNT_FIELDS, type KpiCounts, quantizedHours } from '../../shared/kpi/counts.js'
import type { Incident } from '../../shared/incident.js'

/** Position of each count in a counts vector (COUNT_FIELDS order). */
export const F = COUNT_FIELDS.length
const at = Object.fromEntries(COUNT_FIELDS.map((f, k) => [f, k])) as Record<keyof KpiCounts, number>

const UNCLOSED = (s: string) => s !== 'closed' && s !== 'rejected' && s !== 'merged'
const CLOCK = (s: string) => s === 'dispatched' || s === 'postponed'

/**
 * One case's contribution to the KPI counts, `sign` × added into `out` at `offset`: the bases of
 * server/store/sqlite/kpi-counts.ts (the reference scan) case by case. `late`: its deadline has passed at the counts'
 * "now" (the only part that changes with the clock). test/integration/kpi-ledger.test.ts checks both agree.
 */
export function addCase(i: Incident, late: boolean, out: Float64Array, offset: number, sign: number): void {
  const s = i.status
  if (s === 'merged') return
  const filed = i.filedAt !== undefined
  const unclosed = UNCLOSED(s)
  const clock = CLOCK(s)
  const closed = s === 'closed' && !i.selfHandled
  const postponedNow = unclosed && (i.postponedCount ?? 0) > 0 && filed && !late
  const lateUnclosed = unclosed && filed && late
  const handled = i.handledAt !== undefined
  const stands = (s === 'handled' || s === 'verified' || s === 'closed') && handled && i.dispatchedAt !== undefined
  add(out, offset, sign, 'reported', 1)
  add(out, offset, sign, 'judged', filed || s === 'rejected')
  add(out, offset, sign, 'filed', filed)
  add(out, offset, sign, 'dueToClose', closed || lateUnclosed || postponedNow)
  add(out, offset, sign, 'closed', closed)
  add(out, offset, sign, 'closedOnTime', closed && handled && i.deadline !== undefined && i.handledAt! <= i.deadline)
  add(out, offset, sign, 'postponed', postponedNow)
  add(out, offset, sign, 'dueToHandle', handled || (clock && late))
  add(out, offset, sign, 'handled', handled)
  add(out, offset, sign, 'handledOnTime', handled && i.deadline !== undefined && i.handledAt! <= i.deadline)
  add(out, offset, sign, 'submitted', handled || (i.reworkCount ?? 0) > 0)
  add(out, offset, sign, 'reworked', (i.reworkCount ?? 0) > 0)
  add(out, offset, sign, 'postponedEver', filed && (i.postponedCount ?? 0) > 0)
  add(out, offset, sign, 'open', clock)
  add(out, offset, sign, 'overdueOpen', clock && late)
  add(out, offset, sign, 'feedbackTotal', i.feedback !== undefined)
  add(out, offset, sign, 'feedbackSatisfied', i.feedback === 'satisfied')
  if (filed) add(out, offset, sign, 'acceptHoursTotal', quantizedHours(i.reportedAt, i.filedAt!))
  add(out, offset, sign, 'acceptCount', filed)
  if (stands) add(out, offset, sign, 'handleHoursTotal', quantizedHours(i.dispatchedAt!, i.handledAt!))
  add(out, offset, sign, 'handleCount', stands)
  add(out, offset, sign, 'reminders', i.reminders ?? 0)
  add(out, offset, sign, 'escalated', i.escalatedAt !== undefined)
  add(out, offset, sign, 'dispatches', i.dispatchCount ?? 0)
  add(out, offset, sign, 'returned', Math.min(i.returnCount ?? 0, i.dispatchCount ?? 0))
  add(out, offset, sign, 'selfHandled', i.selfHandled === true)
}

/** A module function, not a closure per case: creating one cost ~1.3 µs a case (tsx wraps each in a naming helper). */
function add(out: Float64Array, offset: number, sign: number, f: keyof KpiCounts, v: number | boolean): void {
  if (v) out[offset + at[f]]! += sign * Number(v)
}

/** Whether a clock can still change the case's counts: open, filed, with a deadline (null deadline: never late). */
export function clockSensitive(i: Incident): boolean {
  return i.deadline !== undefined && UNCLOSED(i.status) && (i.filedAt !== undefined || CLOCK(i.status))
}

export function toCounts(v: Float64Array, offset = 0): KpiCounts {
  const c = {} as KpiCounts
  COUNT_FIELDS.forEach((f, k) => { c[f] = v[offset + k]! })
  return c
}
