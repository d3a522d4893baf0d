import { Worker } from 'node:worker_threads'
import { typeScriptWorkerUrl } from '../../../worker-entry.js'
import type { CheckpointData, CheckpointReport } from './checkpoint-protocol.js'

/** What /health reports of the checkpointer (`queues.writer.checkpointer`). */
export interface CheckpointerStats {
  threadId: number
  /** Checkpoints that found frames in the WAL. */
  checkpoints: number
  /** The last one's and the slowest one's time (ms), and the WAL's frames at the last one. */
  lastMs: number
  maxMs: number
  walFrames: number
  failures: number
  restarts: number
}

const BOOT_URL = typeScriptWorkerUrl(new URL('./checkpoint-thread.ts', import.meta.url))
const RESTART_MS = 1000

/**
 * The checkpointer thread beside the store writer (checkpoint-thread.ts). If it stops, the writer's own automatic
 * checkpoint, set far higher than SQLite's default, still bounds the WAL; a new checkpointer starts a second later.
 */
export class Checkpointer {
  private worker: Worker | null = null
  private closed = false
  private readonly st: CheckpointerStats = { threadId: 0, checkpoints: 0, lastMs: 0, maxMs: 0, walFrames: 0, failures: 0, restarts: 0 }

  constructor(private readonly data: CheckpointData, private readonly onFailure?: (error: string) => void) {
    this.spawn()
  }

  stats(): CheckpointerStats {
    return { ...this.st }
  }

  /** Stops the thread (its connection closes; the store's last connection to close checkpoints what is left). */
  async close(): Promise<void> {
    this.closed = true
    const worker = this.worker
    this.worker = null
    await worker?.terminate()
  }

  private spawn(): void {
    const worker = new Worker(BOOT_URL, { workerData: this.data })
    this.worker = worker
    worker.unref() // a timer thread: it never keeps the process alive
    worker.on('message', (r: CheckpointReport) => {
      if ('ready' in r) this.st.threadId = r.threadId
      else if ('error' in r) {
        this.st.failures += 1
        this.onFailure?.(r.error)
      } else {
        this.st.checkpoints += 1
        this.st.lastMs = r.ms
        this.st.maxMs = Math.max(this.st.maxMs, r.ms)
        this.st.walFrames = r.walFrames
      }
    })
    worker.on('error', (err) => { this.onFailure?.(err.message) })
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null
      if (this.closed) return
      this.st.restarts += 1
      setTimeout(() => { if (!this.closed && !this.worker) this.spawn() }, RESTART_MS).unref()
    })
  }
}
