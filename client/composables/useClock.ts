import { onBeforeUnmount, onMounted, ref } from 'vue'

/**
 * A ticking "now" for clocks and staleness banners; one timer per component, cleared on unmount. Ticks land on
 * whole intervals of the wall clock, so hh:mm:ss changes when the second does.
 */
export function useClock(intervalMs = 1000) {
  const now = ref(Date.now())
  let timer: number | undefined
  const schedule = () => { timer = window.setTimeout(tick, intervalMs - (Date.now() % intervalMs)) }
  function tick(): void {
    now.value = Date.now()
    schedule()
  }
  onMounted(schedule)
  onBeforeUnmount(() => window.clearTimeout(timer))
  return now
}
