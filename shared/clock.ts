/**
 * The app's one clock as the server announces it (GET /api/v1/client-config): its "now" at the moment of the
 * answer and how many simulated ms pass per real ms (SIM_SPEED with the simulator on, else 1). A client keeps
 * time from it with its own real clock, so countdowns and "today" follow simulated time at any speed.
 */
export interface ClockAnnouncement {
  /** The server's "now" (ms since the epoch) when it answered. */
  now: number
  /** Simulated ms per real ms. */
  rate: number
}

/** "now" on a clock that read `at` at real instant `realAt` and runs at `rate`. */
export function clockReading(at: number, realAt: number, rate: number, realNow: number): number {
  return at + (realNow - realAt) * rate
}
