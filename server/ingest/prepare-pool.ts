import { Worker } from 'node:worker_threads'
import { type EnvelopeError, type Locator, type PreparedBatch, prepareEnvelope, prepareEvents, type ValidationWindow } from './prepare-batch.js'
import { typeScriptWorkerUrl } from '../worker-entry.js'

type JobInput = ({ kind: 'envelope', body: Uint8Array } | { kind: 'events', events: readonly unknown[] }) & { window?: ValidationWindow }
export type WorkerJob = JobInput & { id: number }
export type WorkerReply = { id: number, prepared: PreparedBatch | EnvelopeError } | { id: number, failure: string }

export interface PreparePoolOptions {
  /** Worker threads (0: prepare inline on the calling thread, e.g. for tests of a custom geography). */
  workers: number
  /** City id the workers load (server/geo/data/<city>/). */
  city: string
  /** The same city on this thread: inline preparation, and the fallback for events that cannot be posted. */
  locator: Locator
  cityName: string
}

export interface PreparePoolStats { workers: number, workersReady: number, jobsInWorkers: number, preparedInline: number, workerRestarts: number, workersFailedToStart: number }

interface Slot { worker: Worker, ready: boolean, pending: Map<number, { resolve: (p: PreparedBatch | EnvelopeError) => void, reject: (e: Error) => void }> }

const ENTRY = typeScriptWorkerUrl(new URL('./ingest-worker.ts', import.meta.url))

/**
 * Parsing, validation and locating of ingest batches on worker threads (issue #13): the main thread only posts the
 * raw body and receives the located events, so its time goes to the commit, the live aggregates and the pushes.
 * A job goes to the ready worker with the fewest jobs outstanding; with none ready (still loading, or being replaced)
 * it is prepared on this thread. A worker that dies fails its outstanding jobs (their requests get a 500: nothing of
 * them was acknowledged or stored) and is replaced.
 */
export function createPreparePool(opts: PreparePoolOptions) {
  const slots: Slot[] = []
  let nextId = 1
  let restarts = 0
  let failedToStart = 0
  let inlined = 0
  let closed = false
  let started = false

  function spawn(): Slot {
    const worker = new Worker(ENTRY, { workerData: { city: opts.city } })
    worker.unref() // never what keeps the process alive
    const slot: Slot = { worker, ready: false, pending: new Map() }
    worker.on('message', (reply: WorkerReply | { ready: true }) => {
      if (!('id' in reply)) {
        slot.ready = true
        return
      }
      const job = slot.pending.get(reply.id)
      if (!job) return
      slot.pending.delete(reply.id)
      if ('failure' in reply) job.reject(new Error(`ingest worker: ${reply.failure}`))
      else job.resolve(reply.prepared)
    })
    const fail = (err: Error) => {
      for (const job of slot.pending.values()) job.reject(err)
      slot.pending.clear()
      const at = slots.indexOf(slot)
      if (closed || at < 0) return
      // one that never got ready (cannot load: missing data, no loader) is not started again and again: batches of
      // its share are prepared on this thread from now on
      if (!slot.ready) {
        failedToStart += 1
        slots.splice(at, 1)
        return
      }
      restarts += 1
      slots[at] = spawn()
    }
    worker.on('error', fail)
    worker.on('exit', code => fail(new Error(`ingest worker exited (${code})`)))
    return slot
  }

  function startWorkers(): void {
    if (started || closed) return
    started = true
    for (let k = 0; k < opts.workers; k++) slots.push(spawn())
  }

  function run(job: JobInput): Promise<PreparedBatch | EnvelopeError> {
    startWorkers()
    // until a worker has loaded (≈ 0.5 s after start, more on a busy machine), or while one is replaced: on this thread
    let slot: Slot | null = null
    for (const s of slots) if (s.ready && (!slot || s.pending.size < slot.pending.size)) slot = s
    if (!slot) return Promise.resolve(inline(job))
    const id = nextId++
    return new Promise((resolve, reject) => {
      try {
        slot!.worker.postMessage({ ...job, id })
      } catch {
        resolve(inline(job)) // something that cannot be cloned (not JSON): prepared here, where it is
        return
      }
      slot!.pending.set(id, { resolve, reject })
    })
  }

  function inline(job: JobInput): PreparedBatch | EnvelopeError {
    inlined += 1
    return job.kind === 'envelope' ? prepareEnvelope(job.body, opts.locator, opts.cityName, job.window) : prepareEvents(job.events, opts.locator, opts.cityName, job.window)
  }

  return {
    /** The raw JSON body of a batch envelope `{ "events": [...] }`. */
    envelope: (body: Uint8Array, window?: ValidationWindow) => run({ kind: 'envelope', body, window }),
    /** Events already parsed (the simulator, Open311, MQTT). */
    events: (events: readonly unknown[], window?: ValidationWindow) => run({ kind: 'events', events, window }),
    /** Starts the workers now rather than at the first batch (they load the city's geo data: ~0.5 s). */
    start: startWorkers,
    stats(): PreparePoolStats {
      let jobs = 0
      for (const s of slots) jobs += s.pending.size
      return { workers: slots.length, workersReady: slots.filter(s => s.ready).length, jobsInWorkers: jobs, preparedInline: inlined, workerRestarts: restarts, workersFailedToStart: failedToStart }
    },
    async close(): Promise<void> {
      closed = true
      await Promise.all(slots.map(s => s.worker.terminate()))
      slots.length = 0
    },
  }
}

export type PreparePool = ReturnType<typeof createPreparePool>
