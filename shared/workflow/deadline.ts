import type { CaseStatus } from './states.js'

/** How a case stands against its handling deadline: 临期 (near) as it nears, 超期 (overdue) past it. */
export type DeadlineFlag = 'none' | 'ok' | 'near' | 'overdue'

/** 临期 once this share of the allotted time is left … */
export const NEAR_SHARE = 0.2
/** … but never later than this before the deadline, so short limits still get a warning. */
export const NEAR_MIN_MS = 15 * 60_000

/** States in which the department's clock runs. */
const CLOCK_RUNNING: readonly CaseStatus[] = ['dispatched', 'postponed']

export interface DeadlineFacts { status: CaseStatus, deadline?: string, dispatchedAt?: string }

/** Pure: the flag of a case at `nowMs`. Without a dispatch time, the near window is NEAR_MIN_MS. */
export function deadlineFlag(c: DeadlineFacts, nowMs: number): DeadlineFlag {
  if (!c.deadline || !CLOCK_RUNNING.includes(c.status)) return 'none'
  const due = Date.parse(c.deadline)
  if (nowMs >= due) return 'overdue'
  const span = c.dispatchedAt ? due - Date.parse(c.dispatchedAt) : 0
  const window = Math.max(NEAR_MIN_MS, span * NEAR_SHARE)
  return due - nowMs <= window ? 'near' : 'ok'
}

/** Milliseconds until the flag may change (for timers), or null when it never will. */
export function msUntilNextFlag(c: DeadlineFacts, nowMs: number): number | null {
  const flag = deadlineFlag(c, nowMs)
  if (flag === 'none' || flag === 'overdue') return null
  const due = Date.parse(c.deadline!)
  if (flag === 'near') return due - nowMs
  const span = c.dispatchedAt ? due - Date.parse(c.dispatchedAt) : 0
  return due - Math.max(NEAR_MIN_MS, span * NEAR_SHARE) - nowMs
}
