import type { IngestResult } from '../../../shared/incident.js'
import { MAX_BATCH } from '../../../shared/schemas/incident.js'
import type { IngestFn } from '../../ingest/ingest-service.js'

interface Waiting { event: unknown, resolve: (r: IngestResult) => void, reject: (err: unknown) => void }

/**
 * Group commit: every event handed in during one turn of the event loop goes to `ingest` as one batch (one
 * transaction, one fsync), and each caller's promise settles when that batch is committed. A broker acks each
 * message when its promise resolves, so thousands of QoS 1 messages a second cost a few hundred commits, not thousands.
 */
export function groupCommit(ingest: IngestFn): (event: unknown) => Promise<IngestResult> {
  let waiting: Waiting[] = []
  let scheduled = false

  async function flush(): Promise<void> {
    scheduled = false
    const batch = waiting
    waiting = []
    for (let k = 0; k < batch.length; k += MAX_BATCH) {
      const part = batch.slice(k, k + MAX_BATCH)
      try {
        const results = await ingest(part.map(w => w.event))
        part.forEach((w, j) => w.resolve(results[j]!))
      } catch (err) {
        for (const w of part) w.reject(err)
      }
    }
  }

  return event => new Promise<IngestResult>((resolve, reject) => {
    waiting.push({ event, resolve, reject })
    if (!scheduled) {
      scheduled = true
      setImmediate(() => void flush())
    }
  })
}
