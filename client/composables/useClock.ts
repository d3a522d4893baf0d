import { onBeforeUnmount, onMounted, ref } from 'vue'
import { serverClockRate, serverNow } from '../services/server-clock.js'

/**
 * A ticking "now" on the server's clock (simulated time at SIM_SPEED) for clocks and countdowns; one timer per
 * component, cleared on unmount. In real time ticks land on whole intervals, so hh:mm:ss changes when the second
 * does; faster than life they come every `intervalMs` of real time.
 */
export function useClock(intervalMs = 1000) {
  const now = ref(serverNow())
  let timer: number | undefined
  const schedule = () => { timer = window.setTimeout(tick, serverClockRate.value === 1 ? intervalMs - (serverNow() % intervalMs) : intervalMs) }
  function tick(): void {
    now.value = serverNow()
    schedule()
  }
  onMounted(schedule)
  onBeforeUnmount(() => window.clearTimeout(timer))
  return now
}
