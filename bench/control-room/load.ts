import type { LoadConfig, LoadResult } from './protocol.js'
import type { Recorder } from './recorder.js'

/**
 * One kind of load in its own process: `prepare` connects and fetches what it needs (not measured), `start` sets it
 * running (the warm-up: nothing is counted), `measure` begins the measured part (the recorder counts requests begun
 * from then on; a load's own figures check `recorder.measuring`), `stop` ends it, waits for what is in flight (up to
 * the timeout) and returns what the load adds to its recorder's figures.
 */
export interface Load {
  prepare: () => Promise<void>
  start: () => void
  measure?: () => void
  stop: () => Promise<Partial<LoadResult>>
}

export type LoadFactory = (config: LoadConfig, recorder: Recorder) => Load

/** Runs `tick` every `everyMs` by the clock (a late timer catches up on what is due), until stopped. */
export function paced(everyMs: number, tick: (k: number) => void): { start: () => void, stop: () => void } {
  let timer: NodeJS.Timeout | null = null
  let next = 0
  return {
    start() {
      const t0 = performance.now()
      tick(next++)
      timer = setInterval(() => {
        const due = Math.floor((performance.now() - t0) / everyMs)
        while (next <= due) tick(next++)
      }, Math.min(everyMs, 20))
    },
    stop() {
      if (timer) clearInterval(timer)
      timer = null
    },
  }
}

/** `count` workers each looping `body` until stopped; `stop` waits for the current iterations to finish. */
export function loops(count: number, body: (worker: number) => Promise<void>): { start: () => void, stop: () => Promise<void> } {
  let running = false
  const done: Promise<void>[] = []
  return {
    start() {
      running = true
      for (let w = 0; w < count; w++) {
        done.push((async () => {
          while (running) await body(w)
        })())
      }
    },
    async stop() {
      running = false
      await Promise.all(done)
    },
  }
}

/** Tracks promises in flight so a stop can wait for them. */
export class InFlight {
  private readonly set = new Set<Promise<unknown>>()
  add(p: Promise<unknown>): void {
    const q = p.finally(() => this.set.delete(q))
    this.set.add(q)
  }
  get size(): number { return this.set.size }
  async drain(): Promise<void> {
    await Promise.all(this.set)
  }
}
