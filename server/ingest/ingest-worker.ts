/**
 * Ingest worker thread: parses, validates and locates batches off the main thread (issue #13). The city's geo lookup
 * data is loaded once, when the worker starts; each job is answered with one message.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { loadCityGeo } from '../geo/city-geo.js'
import { prepareEnvelope, prepareEvents } from './prepare-batch.js'
import type { WorkerJob, WorkerReply } from './prepare-pool.js'

const { city } = workerData as { city: string }
const geo = loadCityGeo(city)

parentPort!.on('message', (job: WorkerJob) => {
  let reply: WorkerReply
  try {
    const prepared = job.kind === 'envelope' ? prepareEnvelope(job.body, geo, geo.info.name, job.window) : prepareEvents(job.events, geo, geo.info.name, job.window)
    reply = { id: job.id, prepared }
  } catch (err) {
    reply = { id: job.id, failure: String((err as Error).stack ?? err) }
  }
  parentPort!.postMessage(reply)
})
parentPort!.postMessage({ ready: true })
