/**
 * Sends one message to many sockets a slice at a time, yielding to the event loop between slices (issue #13).
 *
 * Why: a write to a socket wakes the process reading it. When that reader shares the server's cores (a wall on the
 * same machine, a load generator), the kernel often runs it at once and the server's thread waits for the core back:
 * a CPU profile of the 200-wall control-room mix put a third of the main thread in `writev` (much of it, it turned out
 * in session f, one write per alarm per wall: now batched, realtime/alarm-pushes.ts), and its longest tasks (140–190 ms)
 * were all one broadcast loop. Acks, pings and /health answers queued behind that loop. Between slices
 * the loop polls for I/O, so they are answered in between; the walls still get every delta, in order.
 *
 * Order: slices run first in, first out, so a socket gets its deltas in the order they were sent. The first slice of
 * an idle fan-out goes out at once (a console's scope has one or two members: no added delay). `flush` writes what is
 * left at once: the publisher calls it at its next tick, so a delta's slices spread over one tick interval at most.
 */
export class FanOut {
  private readonly jobs: (() => void)[] = []
  private scheduled = false

  /** `onError`: a slice whose emit threw (a socket torn down under it); the other slices still go out. */
  constructor(private readonly sliceSize: number, private readonly onError: (err: unknown) => void = () => undefined) {
    if (!(sliceSize >= 1)) throw new Error(`fan-out slice size must be at least 1, got ${sliceSize}`)
  }

  get busy(): boolean {
    return this.jobs.length > 0
  }

  get queued(): number {
    return this.jobs.length
  }

  /** `emit(slice)` for every slice of `ids`, the first now when nothing is queued. */
  send(ids: readonly string[], emit: (slice: string[]) => void): void {
    const idle = this.jobs.length === 0
    for (let k = 0; k < ids.length; k += this.sliceSize) {
      const slice = ids.slice(k, k + this.sliceSize)
      this.jobs.push(() => emit(slice))
    }
    if (idle && this.jobs.length > 0) this.runJob(this.jobs.shift()!)
    this.schedule()
  }

  /** Writes every queued slice now, in order. */
  flush(): void {
    while (this.jobs.length > 0) this.runJob(this.jobs.shift()!)
  }

  /** Drops what is queued (the publisher stopped). */
  clear(): void {
    this.jobs.length = 0
  }

  private schedule(): void {
    if (this.scheduled || this.jobs.length === 0) return
    this.scheduled = true
    setImmediate(this.runOne)
  }

  private readonly runOne = (): void => {
    this.scheduled = false
    const job = this.jobs.shift()
    if (!job) return
    this.schedule()
    this.runJob(job)
  }

  private runJob(job: () => void): void {
    try {
      job()
    } catch (err) {
      this.onError(err)
    }
  }
}
