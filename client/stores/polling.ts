import { retryAfterMs } from '../services/api.js'

/** A store's refresh timer, shared by every component that shows its data. */
export interface Polling {
  /** The first user loads at once and starts the timer. */
  start(): void
  /** The last user stops it. */
  stop(): void
  /** Someone is watching: a change of what to load should load it now. */
  readonly active: boolean
  /**
   * For a failed load: when the server shed it (503/429 with Retry-After: analytics are shed first while it is busy,
   * e.g. in the seconds after a start), loads again then — not at the next refresh — and says true. Else false.
   */
  retryAfter(err: unknown): boolean
}

/** Reference-counted polling: `load` runs on the first `start()` and every `ms` until the last `stop()`. */
export function sharedPolling(load: () => Promise<void>, ms: number): Polling {
  let timer: number | undefined
  let retry: number | undefined
  let users = 0
  return {
    start(): void {
      if (users++ > 0) return
      void load()
      timer = window.setInterval(() => void load(), ms)
    },
    stop(): void {
      if (--users > 0) return
      window.clearInterval(timer)
      window.clearTimeout(retry)
    },
    get active() { return users > 0 },
    retryAfter(err: unknown): boolean {
      const wait = retryAfterMs(err)
      if (wait === null) return false
      window.clearTimeout(retry)
      if (users > 0) retry = window.setTimeout(() => void load(), wait)
      return true
    },
  }
}
