import { onBeforeUnmount, type Ref, ref, watch } from 'vue'
import { motion } from '../motion.js'

/**
 * A number that glides to each new value (ease-out over `ms`), for wall numerals that should visibly change.
 * Jumps instead in calm motion (which prefers-reduced-motion implies); one animation frame loop per tween, cancelled
 * on unmount.
 */
export function useTweenedNumber(target: Ref<number | null | undefined>, ms = 700) {
  const shown = ref<number | null>(target.value ?? null)
  let frame = 0

  watch(target, (to) => {
    cancelAnimationFrame(frame)
    if (to === null || to === undefined || shown.value === null || motion.value === 'calm') {
      shown.value = to ?? null
      return
    }
    const from = shown.value
    const start = performance.now()
    const step = (now: number) => {
      const k = Math.min(1, (now - start) / ms)
      shown.value = from + (to - from) * (1 - (1 - k) ** 3)
      if (k < 1) frame = requestAnimationFrame(step)
    }
    frame = requestAnimationFrame(step)
  })
  onBeforeUnmount(() => cancelAnimationFrame(frame))
  return shown
}
