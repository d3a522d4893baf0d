/**
 * The store's writer thread (issue #13): owns the connection that writes incidents, their audit trail and the rollup,
 * so that their SQLite work and each commit's disk sync run beside the main thread instead of on it. Tasks run one
 * at a time, in the order they were sent (writer/write-tasks.ts).
 */
import { parentPort, threadId, workerData } from 'node:worker_threads'
import { openWriterConnection } from '../connection.js'
import type { WriteRequest, WriteResponse, WriterData, WriterReady } from './protocol.js'
import { writeTasks } from './write-tasks.js'

const { file, rollupUpkeep } = workerData as WriterData
const db = openWriterConnection(file)
const tasks = writeTasks(db, { rollupUpkeep })
const port = parentPort!

port.on('message', (req: WriteRequest) => {
  let res: WriteResponse
  try {
    const value = (tasks[req.task] as (...args: unknown[]) => unknown)(...req.args)
    res = { id: req.id, seq: tasks.seq(), ok: true, value }
  } catch (err) {
    res = { id: req.id, seq: tasks.seq(), ok: false, error: err instanceof Error ? err.message : String(err) }
  }
  if (req.task === 'close') db.close()
  port.postMessage(res)
})
port.postMessage({ ready: true, threadId, seq: tasks.seq() } satisfies WriterReady)
