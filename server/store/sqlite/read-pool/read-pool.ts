import { Worker } from 'node:worker_threads'
import type { ReadArgs, ReadReady, ReadRequest, ReadResponse, ReadResult, ReadTask, ReadWorkerData } from './protocol.js'
import { typeScriptWorkerUrl } from '../../../worker-entry.js'

export interface ReadPoolOptions {
  /** The database file (WAL): each worker opens it read-only. */
  file: string
  /** Worker threads (≥ 1). */
  size: number
  /** Reads allowed to wait for a worker; one more is refused with ReadPoolFullError. */
  maxQueue: number
  /** Told of a worker that died (it is replaced). */
  onWorkerExit?: (info: { threadId: number, code: number, error?: string }) => void
}

/** Every worker is busy and `maxQueue` reads already wait: the caller answers 503 with Retry-After. */
export class ReadPoolFullError extends Error {
  readonly status = 503
  readonly retryAfterS = 1
  constructor(readonly queued: number) {
    super(`the read pool is full (${queued} reads waiting); try again shortly`)
  }
}

export interface ReadPoolStats {
  size: number
  busy: number
  queued: number
  completed: number
  refused: number
  restarts: number
  /** threadId of each live worker (0 while starting). */
  threadIds: number[]
  /** Each live worker's lowered scheduling priority (null: not lowered; the OS does not allow it). */
  nice: (number | null)[]
  /** threadId that answered each task kind last: tests check the work ran off the main thread. */
  lastThreadByTask: Partial<Record<ReadTask, number>>
}

interface Job { id: number, task: ReadTask, args: unknown[], resolve: (v: unknown) => void, reject: (e: Error) => void }
interface Slot { worker: Worker, threadId: number, nice: number | null, job: Job | null, ready: boolean }

const BOOT_URL = typeScriptWorkerUrl(new URL('./read-worker.ts', import.meta.url))

/**
 * Worker threads with read-only connections to the store's database (issue #13: the main thread acknowledges ingest,
 * answers pings and pushes deltas; a read that takes more than a few milliseconds runs here). One read per worker at
 * a time, first come first served, a bounded queue in front. Workers start on the first read, are replaced if they
 * die (the read they held fails; the others go on), and are terminated by `close()`.
 */
export class ReadPool {
  private readonly slots: Slot[] = []
  private readonly queue: Job[] = []
  private nextId = 1
  private closed = false
  private readonly counters = { completed: 0, refused: 0, restarts: 0 }
  private readonly lastThread: Partial<Record<ReadTask, number>> = {}

  constructor(private readonly opts: ReadPoolOptions) {
    if (opts.size < 1) throw new Error('ReadPool: size must be at least 1')
  }

  run<K extends ReadTask>(task: K, ...args: ReadArgs<K>): Promise<ReadResult<K>> {
    if (this.closed) return Promise.reject(new Error('the read pool is closed'))
    while (this.slots.length < this.opts.size) this.slots.push(this.spawn())
    const idle = this.slots.find(s => s.job === null && s.ready)
    if (!idle && this.queue.length >= this.opts.maxQueue) {
      this.counters.refused += 1
      return Promise.reject(new ReadPoolFullError(this.queue.length))
    }
    return new Promise<ReadResult<K>>((resolve, reject) => {
      const job: Job = { id: this.nextId++, task, args, resolve: resolve as (v: unknown) => void, reject }
      if (idle) this.send(idle, job)
      else this.queue.push(job)
    })
  }

  stats(): ReadPoolStats {
    return {
      size: this.opts.size, busy: this.slots.filter(s => s.job !== null).length, queued: this.queue.length, ...this.counters,
      threadIds: this.slots.map(s => s.threadId), nice: this.slots.map(s => s.nice), lastThreadByTask: { ...this.lastThread },
    }
  }

  /** Refuses new reads, fails the waiting ones and terminates the workers (awaited: nothing outlives the app). */
  async close(): Promise<void> {
    this.closed = true
    for (const job of this.queue.splice(0)) job.reject(new Error('the read pool is closed'))
    const slots = this.slots.splice(0)
    for (const s of slots) s.job?.reject(new Error('the read pool is closed'))
    await Promise.all(slots.map(s => s.worker.terminate()))
  }

  private spawn(): Slot {
    const worker = new Worker(BOOT_URL, { workerData: { file: this.opts.file } satisfies ReadWorkerData })
    const slot: Slot = { worker, threadId: 0, nice: null, job: null, ready: false }
    let lastError: string | undefined
    worker.on('message', (msg: ReadResponse | ReadReady) => {
      if ('ready' in msg) {
        slot.ready = true
        slot.threadId = msg.threadId
        slot.nice = msg.nice
        this.next(slot)
        return
      }
      const job = slot.job
      if (!job || job.id !== msg.id) return
      slot.job = null
      this.counters.completed += 1
      this.lastThread[job.task] = slot.threadId
      if (msg.ok) job.resolve(msg.value)
      else job.reject(new Error(msg.error))
      this.next(slot)
    })
    worker.on('error', (err) => { lastError = err.message })
    worker.on('exit', (code) => {
      const k = this.slots.indexOf(slot)
      if (k < 0) return // closed
      const why = new Error(`the read worker stopped (exit code ${code}${lastError ? `: ${lastError}` : ''})`)
      slot.job?.reject(why)
      slot.job = null
      this.opts.onWorkerExit?.({ threadId: slot.threadId, code, ...lastError !== undefined && { error: lastError } })
      if (slot.ready) {
        this.counters.restarts += 1
        this.slots[k] = this.spawn()
        return
      }
      // it never opened its connection: no restart loop; the waiting reads fail unless another worker runs, and the
      // next read tries again
      this.slots.splice(k, 1)
      if (!this.slots.some(s => s.ready)) for (const job of this.queue.splice(0)) job.reject(why)
    })
    return slot
  }

  private send(slot: Slot, job: Job): void {
    slot.job = job
    slot.worker.postMessage({ id: job.id, task: job.task, args: job.args } as ReadRequest)
  }

  private next(slot: Slot): void {
    const job = this.queue.shift()
    if (job) this.send(slot, job)
  }
}
