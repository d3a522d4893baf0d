import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { type Incident, newIncident } from '../../shared/incident.js'
import { activeCalendar } from '../calendar/index.js'
import type { CityGeo } from '../geo/city-geo.js'
import { prepareEvents } from '../ingest/prepare-batch.js'
import { createGenerator, type SimulatorGeo } from '../sources/simulator/generate.js'
import type { HistoryRecord, HistoryImportRepository } from '../store/repository.js'
import type { RuleContext } from '../workflow/case-rules.js'
import { DuplicateDetector, type DuplicateRule } from '../workflow/duplicate-detector.js'
import { type Chunk, decodeChunk } from './chunk-encoding.js'
import { replayCase } from './replay.js'
import { typeScriptWorkerUrl } from '../worker-entry.js'

const DAY = 86_400_000

/** What the history needs of a city: the simulator's places, and ingest's locator and name. */
export type HistoryGeo = SimulatorGeo & Pick<CityGeo, 'locate'> & { info: { name: string } }

export interface ChunkerOptions {
  seed: number
  /** The whole range of report times, [fromMs, toMs): cases are replayed up to `toMs`. */
  fromMs: number
  toMs: number
  /** Where this run starts (after `fromMs` when resuming). */
  startMs: number
  duplicateRule: DuplicateRule
}

/**
 * The history of consecutive time slices, through the code live reports go through: each slice's simulator events
 * are validated and located in bulk by ingest's `prepareEvents` (without live ingest's reportedAt window: this is the
 * past), duplicates proposed by the same detector, and each case replayed to its state at `toMs` by the workflow's
 * rules (replay.ts).
 */
export function createHistoryChunker(geo: HistoryGeo, o: ChunkerOptions) {
  const generator = createGenerator(geo, o.seed)
  const detector = new DuplicateDetector(o.duplicateRule)
  // the cases of this run so far (their state at `toMs`), and reports the detector saw before it: what a merge may fold into
  const replayed = new Map<string, Incident>()
  const earlier = new Map<string, Incident>()
  const ctx: RuleContext = {
    utcOffsetMinutes: geo.info.utcOffsetMinutes,
    mergeTarget: id => replayed.get(id) ?? replayEarlier(id),
  }
  // a report of before this run that the detector saw as a primary: replayed on demand (a proposal only ever names a
  // report not itself proposed as a duplicate, so never one that is merged: its state at `toMs` answers as well as then)
  const replayEarlier = (id: string): Incident | null => {
    const report = earlier.get(id)
    return report ? replayCase({ ...report }, o.seed, o.toMs, ctx, null).incident : null
  }
  let cursor = o.startMs
  if (o.startMs > o.fromMs) {
    // a slice after the first: the detector first sees the reports just before it (two windows and an hour, so that
    // what those reports were proposed as settles), so every slice is the same whether it is generated alone, by
    // another thread, or after an interruption
    const from = Math.max(o.fromMs, o.startMs - 2 * o.duplicateRule.windowMinutes * 60_000 - 3_600_000)
    for (const report of received(generator.between(from, o.startMs), geo).incidents) {
      if (detector.observe(report) === null) earlier.set(report.id, report)
    }
  }
  return {
    next(endMs: number): Chunk {
      const { incidents, rejected } = received(generator.between(cursor, endMs), geo)
      const records: HistoryRecord[] = []
      let events = 0
      for (const incident of incidents) {
        const replay = replayCase(incident, o.seed, o.toMs, ctx, detector.observe(incident))
        replayed.set(incident.id, replay.incident)
        events += replay.events.length
        records.push(replay)
      }
      cursor = endMs
      return { records, rejected, events }
    },
  }
}

/** Reports as ingest receives them (`prepareEvents`), each received the moment it happens (the simulator sends it then). */
function received(events: readonly unknown[], geo: HistoryGeo): { incidents: Incident[], rejected: number } {
  const prepared = prepareEvents(events, geo, geo.info.name)
  return { incidents: prepared.accepted.map(e => newIncident(e.input, e.location, 0, e.input.reportedAt)), rejected: events.length - prepared.accepted.length }
}

/** One slice [startMs, endMs) on its own (see createHistoryChunker): slices can be generated in any order or thread. */
export function historySlice(geo: HistoryGeo, o: Omit<ChunkerOptions, 'startMs'>, startMs: number, endMs: number): Chunk {
  return createHistoryChunker(geo, { ...o, startMs }).next(endMs)
}

export interface SeedOptions {
  geo: CityGeo
  repo: HistoryImportRepository
  seed: number
  fromMs: number
  toMs: number
  duplicateRule: DuplicateRule
  /** Slice of time per transaction (its rows and the checkpoint commit together): a day by default. */
  chunkMs?: number
  /** Generate in worker threads while this thread writes (the CLI); inline in tests. */
  worker?: boolean
  /** How many generating threads (default: one per core, at most 4); each takes every n-th slice. */
  workers?: number
  onProgress?: (p: SeedProgress) => void
  /** Told of each index or rollup build the bulk path put off until the end. */
  onBuilt?: (name: string, ms: number, left: number) => void
}

export interface SeedProgress { doneMs: number, fromMs: number, toMs: number, stored: number, rejected: number, events: number }

export type SeedOutcome =
  | { kind: 'seeded', stored: number, rejected: number, events: number, resumedFromMs: number | null, ms: number, writtenMs: number }
  | { kind: 'already-seeded', rows: number }
  | { kind: 'refused', reason: string }

export const seedKey = (seed: number) => `seed:${seed}`

/** Chunk boundaries of a run: aligned to the range's start so that a resumed run cuts the same slices. */
function boundaries(fromMs: number, toMs: number, startMs: number, chunkMs: number): number[] {
  const ends: number[] = []
  for (let end = fromMs + chunkMs; ; end += chunkMs) {
    if (end > startMs) ends.push(Math.min(end, toMs))
    if (end >= toMs) return ends
  }
}

/**
 * `npm run seed`: a deterministic history written by the repository's bulk path, one slice per transaction with a
 * checkpoint, so an interrupted run resumes where it stopped and a finished one is not seeded twice. Refuses a
 * database that holds other data. Same seed and range, same database.
 */
export async function seedHistory(o: SeedOptions): Promise<SeedOutcome> {
  const key = seedKey(o.seed)
  const params = JSON.stringify({ seed: o.seed, city: o.geo.info.id, fromMs: o.fromMs, toMs: o.toMs })
  const cp = await o.repo.historyCheckpoint(key)
  if (cp && cp.params !== params) return { kind: 'refused', reason: `this database was seeded with other parameters (${cp.params}); use an empty DATA_DIR` }
  if (cp && cp.doneMs >= o.toMs) {
    await o.repo.finishBulkImport(o.onBuilt) // an interruption while the indexes were being built
    return { kind: 'already-seeded', rows: cp.rows }
  }
  if (!cp && !await o.repo.isEmpty()) return { kind: 'refused', reason: 'the database already holds incidents; seed into an empty DATA_DIR' }

  const started = performance.now()
  // a fresh database: indexes and rollups are built once at the end (a resumed run finds them still owed)
  if (!cp) await o.repo.beginBulkImport()
  const startMs = cp?.doneMs ?? o.fromMs
  const chunker: Omit<ChunkerOptions, 'startMs'> = { seed: o.seed, fromMs: o.fromMs, toMs: o.toMs, duplicateRule: o.duplicateRule }
  const ends = boundaries(o.fromMs, o.toMs, startMs, o.chunkMs ?? DAY)
  const slices = ends.map((end, k): [number, number] => [k === 0 ? startMs : ends[k - 1]!, end])
  let rows = cp?.rows ?? 0
  let stored = 0
  let rejected = 0
  let events = 0
  const write = async (end: number, chunk: Chunk) => {
    const n = await o.repo.importHistory(chunk.records, { key, params, doneMs: end, rows })
    rows += n
    stored += n
    rejected += chunk.rejected
    events += chunk.events
    o.onProgress?.({ doneMs: end, fromMs: o.fromMs, toMs: o.toMs, stored: rows, rejected, events })
  }
  if (o.worker) {
    await inWorkers(o.geo.info.id, chunker, slices, o.workers ?? Math.min(4, availableParallelism()), write)
  } else {
    for (const [from, end] of slices) await write(end, historySlice(o.geo, chunker, from, end))
  }
  const writtenMs = performance.now() - started
  await o.repo.finishBulkImport(o.onBuilt)
  return { kind: 'seeded', stored, rejected, events, resumedFromMs: cp?.doneMs ?? null, ms: performance.now() - started, writtenMs }
}

/**
 * The slices generated by `n` worker threads (worker w takes slices w, w + n, …), each at most two slices ahead of
 * the writer (this thread), which takes them in order: on two cores generating and writing overlap. Slices travel as
 * positional JSON text (see encodeChunk).
 */
async function inWorkers(city: string, opts: Omit<ChunkerOptions, 'startMs'>, slices: [number, number][], n: number,
  write: (end: number, chunk: Chunk) => Promise<void>): Promise<void> {
  const entry = typeScriptWorkerUrl(new URL('./history-worker.ts', import.meta.url))
  const count = Math.max(1, Math.min(n, slices.length))
  const queues: string[][] = Array.from({ length: count }, () => [])
  let wake: (() => void) | null = null
  let failure: Error | null = null
  const workers = queues.map((queue, w) => {
    const worker = new Worker(entry, { workerData: { city, opts, slices: slices.filter((_, k) => k % count === w), calendar: { officeHours: activeCalendar().officeHours, files: activeCalendar().files } } })
    worker.on('message', (text: string) => {
      queue.push(text)
      wake?.()
    })
    worker.on('error', (err) => {
      failure = err
      wake?.()
    })
    return worker
  })
  try {
    for (let k = 0; k < slices.length; k++) {
      const queue = queues[k % count]!
      while (queue.length === 0 && !failure) await new Promise<void>((resolve) => { wake = resolve })
      if (failure) throw failure
      workers[k % count]!.postMessage('next') // credit for one more slice
      await write(slices[k]![1], decodeChunk(queue.shift()!))
    }
  } finally {
    await Promise.all(workers.map(w => w.terminate()))
  }
}
