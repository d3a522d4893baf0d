import { onBeforeUnmount, onMounted, ref } from 'vue'

/** A ticking "now" for clocks and staleness banners; one timer per component, cleared on unmount. */
export function useClock(intervalMs = 1000) {
  const now = ref(Date.now())
  let timer: number | undefined
  onMounted(() => { timer = window.setInterval(() => { now.value = Date.now() }, intervalMs) })
  onBeforeUnmount(() => window.clearInterval(timer))
  return now
}
