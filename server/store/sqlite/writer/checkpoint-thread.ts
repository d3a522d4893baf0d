/**
 * The store's checkpointer thread: copies the WAL's committed pages into the database file (a PASSIVE checkpoint:
 * it waits for no reader and no writer) every `everyMs`, on a connection of its own. Without it the writer thread ran
 * SQLite's automatic checkpoint inside every commit that took the WAL past 1,000 pages — copying the pages and
 * syncing the database file while the next commits waited (`npm run bench -- ingest`, session h).
 */
import { parentPort, threadId, workerData } from 'node:worker_threads'
import { openCheckpointConnection } from '../connection.js'
import type { CheckpointData, CheckpointReport } from './checkpoint-protocol.js'

const { file, everyMs } = workerData as CheckpointData
const db = openCheckpointConnection(file)
const port = parentPort!

setInterval(() => {
  const t0 = performance.now()
  try {
    // one row: busy (another checkpoint held the lock), frames in the WAL, frames now in the database file
    const [row] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number, log: number, checkpointed: number }[]
    if (row && row.log > 0) port.postMessage({ ms: performance.now() - t0, walFrames: row.log, copied: row.checkpointed, busy: row.busy === 1 } satisfies CheckpointReport)
  } catch (err) {
    port.postMessage({ error: err instanceof Error ? err.message : String(err) } satisfies CheckpointReport)
  }
}, everyMs)
port.postMessage({ ready: true, threadId } satisfies CheckpointReport)
