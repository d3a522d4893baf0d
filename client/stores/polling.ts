/** A store's refresh timer, shared by every component that shows its data. */
export interface Polling {
  /** The first user loads at once and starts the timer. */
  start(): void
  /** The last user stops it. */
  stop(): void
  /** Someone is watching: a change of what to load should load it now. */
  readonly active: boolean
}

/** Reference-counted polling: `load` runs on the first `start()` and every `ms` until the last `stop()`. */
export function sharedPolling(load: () => Promise<void>, ms: number): Polling {
  let timer: number | undefined
  let users = 0
  return {
    start(): void {
      if (users++ > 0) return
      void load()
      timer = window.setInterval(() => void load(), ms)
    },
    stop(): void {
      if (--users === 0) window.clearInterval(timer)
    },
    get active() { return users > 0 },
  }
}
