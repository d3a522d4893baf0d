import { Worker } from 'node:worker_threads'
import type { WriteArgs, WriteRequest, WriteResponse, WriteResult, WriterData, WriterReady, WriteTask } from './protocol.js'
import type { WriteTasks } from './write-tasks.js'
import { typeScriptWorkerUrl } from '../../../worker-entry.js'

export interface WriterStats {
  /** 'thread': the writer thread; 'inline': on the calling thread (an in-memory database, a bulk load). */
  mode: 'thread' | 'inline'
  /** Tasks sent and not yet answered (the writer's queue). */
  pending: number
  completed: number
  restarts: number
  threadId: number
}

/**
 * The one way to the store's writes of incidents (writer/write-tasks.ts): tasks run one at a time, in the order
 * sent, so seq order is commit order. `seq()` is that of the last commit this thread has heard of.
 */
export interface StoreWriter {
  run<K extends WriteTask>(task: K, ...args: WriteArgs<K>): Promise<WriteResult<K>>
  seq(): number
  stats(): WriterStats
  close(): Promise<void>
}

/** The tasks on the calling thread, on its own connection: each runs when called, as a plain call would. */
export function inlineWriter(tasks: WriteTasks): StoreWriter {
  let completed = 0
  return {
    run(task, ...args) {
      try {
        const value = (tasks[task] as (...a: unknown[]) => unknown)(...args)
        completed += 1
        return Promise.resolve(value as WriteResult<typeof task>)
      } catch (err) {
        return Promise.reject(err)
      }
    },
    seq: () => tasks.seq(),
    stats: () => ({ mode: 'inline', pending: 0, completed, restarts: 0, threadId: 0 }),
    async close() {
      tasks.close()
    },
  }
}

const BOOT_URL = typeScriptWorkerUrl(new URL('./writer-thread.ts', import.meta.url))

interface Pending { resolve: (v: unknown) => void, reject: (e: Error) => void }

/**
 * The tasks on the writer thread (writer-thread.ts), which opens its own connection to the file. Tasks sent before
 * it is ready wait in its port. If it dies, the tasks it held fail (none was answered, so none was acknowledged) and
 * a new one starts for the next task; it reads the seq back from the file.
 */
export class ThreadWriter implements StoreWriter {
  private worker: Worker | null = null
  private readonly pending = new Map<number, Pending>()
  private nextId = 1
  private lastSeq: number
  private completed = 0
  private restarts = 0
  private threadId = 0
  private closed = false

  constructor(private readonly data: WriterData, seq: number, private readonly onExit?: (info: { code: number, error?: string }) => void) {
    this.lastSeq = seq
    this.spawn() // now: its start (≈ 0.5 s of loading) is not paid by the first report
  }

  run<K extends WriteTask>(task: K, ...args: WriteArgs<K>): Promise<WriteResult<K>> {
    if (this.closed) return Promise.reject(new Error('the store writer is closed'))
    const worker = this.worker ?? this.spawn()
    const id = this.nextId++
    return new Promise<WriteResult<K>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      worker.postMessage({ id, task, args } satisfies WriteRequest)
    })
  }

  seq(): number {
    return this.lastSeq
  }

  stats(): WriterStats {
    return { mode: 'thread', pending: this.pending.size, completed: this.completed, restarts: this.restarts, threadId: this.threadId }
  }

  /** Folds what the rollup is owed and closes the writer's connection (awaited: nothing outlives the store). */
  async close(): Promise<void> {
    if (this.closed) return
    const worker = this.worker
    if (worker) await this.run('close').catch(() => undefined)
    this.closed = true
    this.worker = null
    await worker?.terminate()
  }

  private spawn(): Worker {
    const worker = new Worker(BOOT_URL, { workerData: this.data })
    this.worker = worker
    let lastError: string | undefined
    worker.on('message', (msg: WriteResponse | WriterReady) => {
      this.lastSeq = Math.max(this.lastSeq, msg.seq)
      if ('ready' in msg) {
        this.threadId = msg.threadId
        return
      }
      const job = this.pending.get(msg.id)
      if (!job) return
      this.pending.delete(msg.id)
      this.completed += 1
      if (msg.ok) job.resolve(msg.value)
      else job.reject(new Error(msg.error))
    })
    worker.on('error', (err) => { lastError = err.message })
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null
      if (this.closed) return
      const why = new Error(`the store writer stopped (exit code ${code}${lastError ? `: ${lastError}` : ''})`)
      for (const job of this.pending.values()) job.reject(why)
      this.pending.clear()
      this.restarts += 1
      this.onExit?.({ code, ...lastError !== undefined && { error: lastError } })
    })
    return worker
  }
}
