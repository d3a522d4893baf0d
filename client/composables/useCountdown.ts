import { computed, type Ref } from 'vue'

export type Urgency = 'ok' | 'near' | 'overdue'

/** Time left to a deadline (临期 within 25 % of an hour-scale limit or 1 h, 超期 past it), for badges and colours. */
export function countdown(deadline: string | undefined, now: number): { text: string, urgency: Urgency } | null {
  if (!deadline) return null
  const left = Date.parse(deadline) - now
  const abs = Math.abs(left)
  const h = Math.floor(abs / 3_600_000)
  const m = Math.floor((abs % 3_600_000) / 60_000)
  const text = `${left < 0 ? '-' : ''}${h}:${String(m).padStart(2, '0')}`
  return { text, urgency: left < 0 ? 'overdue' : left < 3_600_000 ? 'near' : 'ok' }
}

export function useCountdown(deadline: Ref<string | undefined>, now: Ref<number>) {
  return computed(() => countdown(deadline.value, now.value))
}
