import { ref } from 'vue'
import { type ClockAnnouncement, clockReading } from '../../shared/clock.js'
import { getJson } from './api.js'

/**
 * The server's clock in the browser. With SIM_SPEED > 1 the server runs on simulated time (deadlines, flags,
 * "today"); countdowns and clocks here must follow it, so the client keeps the server's reading and rate
 * (GET /api/v1/client-config) and advances it with its own real clock. Until the first answer it is the real clock.
 */
let base = { at: Date.now(), realAt: Date.now(), rate: 1 }

/** Simulated ms per real ms, reactive for views that say so (1 when the server runs in real time). */
export const serverClockRate = ref(1)

export function serverNow(): number {
  return Math.floor(clockReading(base.at, base.realAt, base.rate, Date.now()))
}

/** Adopts an announcement received at the real instant `receivedAt` (half the round trip is negligible here). */
export function adoptServerClock(c: ClockAnnouncement, receivedAt = Date.now()): void {
  base = { at: c.now, realAt: receivedAt, rate: c.rate }
  serverClockRate.value = c.rate
}

/** Asks the server for its clock; on failure the last reading (or the real clock) stays. */
export async function syncServerClock(): Promise<void> {
  try {
    const cfg = await getJson<{ clock?: ClockAnnouncement }>('/api/v1/client-config')
    if (cfg.clock) adoptServerClock(cfg.clock)
  } catch {
    // offline or an older server: keep time as before
  }
}
