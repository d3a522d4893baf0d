import { computed, type Ref } from 'vue'
import { type DeadlineFacts, deadlineFlag } from '../../shared/workflow/deadline.js'

export type Urgency = 'ok' | 'near' | 'overdue'

/** Time left to a case's deadline and its flag (临期/超期 from the shared rule), for badges and colours. */
export function countdown(c: DeadlineFacts | null | undefined, now: number): { text: string, urgency: Urgency } | null {
  if (!c?.deadline) return null
  const left = Date.parse(c.deadline) - now
  const abs = Math.abs(left)
  const h = Math.floor(abs / 3_600_000)
  const m = Math.floor((abs % 3_600_000) / 60_000)
  const text = `${left < 0 ? '-' : ''}${h}:${String(m).padStart(2, '0')}`
  const flag = deadlineFlag(c, now)
  // a handled case shows its deadline without alarm colours: the department's clock has stopped
  return { text, urgency: flag === 'none' ? 'ok' : flag }
}

export function useCountdown(c: Ref<DeadlineFacts | null | undefined>, now: Ref<number>) {
  return computed(() => countdown(c.value, now.value))
}
