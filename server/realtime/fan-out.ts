/**
 * Sends one message to many sockets a slice at a time, yielding to the event loop between slices (issue #13).
 *
 * Why: a write to a socket wakes the process reading it. When that reader shares the server's cores (a wall on the
 * same machine, a load generator), the kernel often runs it at once and the server's thread waits for the core back:
 * a CPU profile of the 200-wall control-room mix put a third of the main thread in `writev`, and its longest tasks
 * (140–190 ms) were all one broadcast loop. Acks, pings and /health answers queued behind that loop. Between slices
 * the loop polls for I/O, so they are answered in between; the walls still get every delta, in order.
 *
 * Order: slices run first in, first out, so a socket gets its deltas in the order they were sent. The first slice of
 * an idle fan-out goes out at once (a console's scope has one or two members: no added delay).
 */
export class FanOut {
  private readonly jobs: (() => void)[] = []
  private scheduled = false

  /** `onError`: a slice whose emit threw (a socket torn down under it); the other slices still go out. */
  constructor(private readonly sliceSize: number, private readonly onError: (err: unknown) => void = () => undefined) {
    if (!(sliceSize >= 1)) throw new Error(`fan-out slice size must be at least 1, got ${sliceSize}`)
  }

  /** Slices still to send: a publisher holds its next batch while the previous one is on its way. */
  get busy(): boolean {
    return this.jobs.length > 0 || this.scheduled
  }

  get queued(): number {
    return this.jobs.length
  }

  /** `emit(slice)` for every slice of `ids`, the first now when nothing is queued. */
  send(ids: readonly string[], emit: (slice: string[]) => void): void {
    for (let k = 0; k < ids.length; k += this.sliceSize) {
      const slice = ids.slice(k, k + this.sliceSize)
      this.jobs.push(() => emit(slice))
    }
    if (!this.scheduled) this.runOne()
  }

  /** Drops what is queued (the publisher stopped). */
  clear(): void {
    this.jobs.length = 0
  }

  private readonly runOne = (): void => {
    this.scheduled = false
    const job = this.jobs.shift()
    if (!job) return
    if (this.jobs.length > 0) {
      this.scheduled = true
      setImmediate(this.runOne)
    }
    try {
      job()
    } catch (err) {
      this.onError(err)
    }
  }
}
