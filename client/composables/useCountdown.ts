import { computed, type Ref } from 'vue'
import { type DeadlineFacts, deadlineFlag } from '../../shared/workflow/deadline.js'

export type Urgency = 'ok' | 'near' | 'overdue'

/** What the countdown needs: the deadline facts and, once handled, when (the department's clock stops there). */
export type CountdownFacts = DeadlineFacts & { handledAt?: string, closedAt?: string }

export interface Countdown {
  /** h:mm to the deadline while the clock runs (negative once overdue); the margin at handling once stopped. */
  text: string
  urgency: Urgency
  /** The department's clock has stopped (handled, verified, closed): the text no longer changes with `now`. */
  stopped: boolean
  /** Stopped cases: handled by the deadline. */
  onTime?: boolean
}

const hm = (ms: number) => {
  const abs = Math.abs(ms)
  return `${Math.floor(abs / 3_600_000)}:${String(Math.floor((abs % 3_600_000) / 60_000)).padStart(2, '0')}`
}

/**
 * Time left to a case's deadline and its flag (临期/超期 from the shared rule), for badges and colours. Once the case
 * is handled the countdown stops: it shows how early or late it was handled, frozen, whatever `now` is.
 */
export function countdown(c: CountdownFacts | null | undefined, now: number): Countdown | null {
  if (!c?.deadline) return null
  const due = Date.parse(c.deadline)
  const flag = deadlineFlag(c, now)
  if (flag === 'none') {
    // a handled case shows its margin without alarm colours; without a handling time there is nothing to count
    const stoppedAt = c.handledAt ?? c.closedAt
    if (!stoppedAt) return null
    const margin = due - Date.parse(stoppedAt)
    return { text: hm(margin), urgency: 'ok', stopped: true, onTime: margin >= 0 }
  }
  const left = due - now
  return { text: `${left < 0 ? '-' : ''}${hm(left)}`, urgency: flag, stopped: false }
}

export function useCountdown(c: Ref<CountdownFacts | null | undefined>, now: Ref<number>) {
  return computed(() => countdown(c.value, now.value))
}
