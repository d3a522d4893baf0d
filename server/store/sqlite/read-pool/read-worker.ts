/** A read worker (issue #13): one read-only connection to the store's WAL database, one read at a time. */
import { parentPort, threadId, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'
import type { ReadReady, ReadRequest, ReadResponse, ReadTask, ReadWorkerData } from './protocol.js'
import { readTasks } from './read-tasks.js'
import { lowerThreadPriority } from './thread-priority.js'

/** Reads are analytics and pages, never on the ack path: they give way to the main thread when both want a core. */
export const READ_WORKER_NICE = 10
const priority = lowerThreadPriority(READ_WORKER_NICE)

const { file } = workerData as ReadWorkerData
// WAL lets readers run beside the one writer: each read sees every transaction committed before it began
const db = new Database(file, { readonly: true, fileMustExist: true })
db.pragma('busy_timeout = 5000')
const tasks = readTasks(db)
const port = parentPort!

port.on('message', (req: ReadRequest) => {
  void (async () => {
    let res: ReadResponse
    try {
      const fn = tasks[req.task as ReadTask] as (...args: unknown[]) => Promise<unknown>
      res = { id: req.id, ok: true, value: await fn(...req.args) }
    } catch (err) {
      res = { id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) }
    }
    port.postMessage(res)
  })()
})
port.postMessage({ ready: true, threadId, nice: priority.ok ? READ_WORKER_NICE : null } satisfies ReadReady)
