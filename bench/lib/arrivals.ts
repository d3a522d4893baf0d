/** What one sample saw: when the first and last receivers got the expected message, how many never did, one copy. */
export interface Arrival<T> { first: number, last: number, missing: number, message: T | null }

interface Pending<T> {
  match: (msg: T) => boolean
  seen: Uint8Array
  remaining: number
  first: number
  last: number
  message: T | null
  timer: NodeJS.Timeout
  resolve: (a: Arrival<T>) => void
}

/**
 * Tracks, for one expected message at a time, the first time each of `receivers` clients gets it. Receivers'
 * handlers call `deliver` for every message; nothing is stored beyond one flag per receiver, so memory stays flat.
 */
export class ArrivalTracker<T> {
  private pending: Pending<T> | null = null

  constructor(private readonly receivers: number) {}

  /** Call before sending; resolves when every receiver has matched, or after `timeoutMs` with `missing` > 0. */
  expect(match: (msg: T) => boolean, timeoutMs: number): Promise<Arrival<T>> {
    if (this.pending) throw new Error('one expected message at a time')
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.finish(), timeoutMs)
      this.pending = { match, seen: new Uint8Array(this.receivers), remaining: this.receivers, first: 0, last: 0, message: null, timer, resolve }
    })
  }

  deliver(receiver: number, msg: T): void {
    const now = performance.now() // first thing: the handler's own work is not the transport's
    const p = this.pending
    if (!p || p.seen[receiver] || !p.match(msg)) return
    p.seen[receiver] = 1
    if (p.message === null) {
      p.first = now
      p.message = msg
    }
    p.last = now
    if (--p.remaining === 0) this.finish()
  }

  /** Drops the current expectation (e.g. the request behind it was refused). */
  cancel(): void {
    this.finish()
  }

  private finish(): void {
    const p = this.pending
    if (!p) return
    clearTimeout(p.timer)
    this.pending = null
    p.resolve({ first: p.first, last: p.last, missing: p.remaining, message: p.message })
  }
}
