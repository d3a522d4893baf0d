import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { newIncident } from '../../shared/incident.js'
import { activeCalendar } from '../calendar/index.js'
import type { CityGeo } from '../geo/city-geo.js'
import { validateEvent } from '../ingest/validate-event.js'
import { createGenerator, type SimulatorGeo } from '../sources/simulator/generate.js'
import type { HistoryRecord, HistoryImportRepository } from '../store/repository.js'
import { DuplicateDetector, type DuplicateRule } from '../workflow/duplicate-detector.js'
import { replayCase } from './replay.js'

const DAY = 86_400_000

export interface ChunkerOptions {
  seed: number
  /** The whole range of report times, [fromMs, toMs): cases are replayed up to `toMs`. */
  fromMs: number
  toMs: number
  /** Where this run starts (after `fromMs` when resuming). */
  startMs: number
  duplicateRule: DuplicateRule
}

export interface Chunk { records: HistoryRecord[], rejected: number, events: number }

/**
 * The history of consecutive time slices: the simulator's events, validated (`validateEvent`) and located
 * (`locate`) like live ingest, duplicates proposed by the same detector, each case replayed to its state at `toMs`.
 */
export function createHistoryChunker(geo: SimulatorGeo & Pick<CityGeo, 'locate'>, o: ChunkerOptions) {
  const generator = createGenerator(geo, o.seed)
  const detector = new DuplicateDetector(o.duplicateRule)
  let cursor = o.startMs
  if (o.startMs > o.fromMs) {
    // a slice after the first: the detector first sees the reports just before it (two windows and an hour, so that
    // what those reports were proposed as settles), so every slice is the same whether it is generated alone, by
    // another thread, or after an interruption
    for (const e of generator.between(Math.max(o.fromMs, o.startMs - 2 * o.duplicateRule.windowMinutes * 60_000 - 3_600_000), o.startMs)) {
      if (geo.locate(e.lon, e.lat)) detector.observe(e)
    }
  }
  return {
    next(endMs: number): Chunk {
      const records: HistoryRecord[] = []
      let rejected = 0
      let events = 0
      for (const raw of generator.between(cursor, endMs)) {
        const v = validateEvent(raw)
        if (!v.ok) {
          rejected += 1
          continue
        }
        const location = geo.locate(v.input.lon, v.input.lat)
        if (!location) {
          rejected += 1
          continue
        }
        // received as reported: the simulator sends each event the moment it happens
        const incident = newIncident(v.input, location, 0, v.input.reportedAt)
        const replayed = replayCase(incident, o.seed, o.toMs, geo.info.utcOffsetMinutes, detector.observe(incident))
        events += replayed.events.length
        records.push(replayed)
      }
      cursor = endMs
      return { records, rejected, events }
    },
  }
}

type Row = (string | number | null | Row)[]

/**
 * A slice as positional arrays: shorter JSON than objects (no keys), so the worker's stringify and this thread's
 * parse cost less. `decodeChunk(encodeChunk(c))` equals `c` (test/unit/seed-encoding.test.ts).
 */
export function encodeChunk(c: Chunk): string {
  const rows: Row[] = c.records.map(({ incident: i, events }) => [
    i.id, i.source, i.category, i.severity, i.lon, i.lat, i.reportedAt, i.receivedAt, i.description, i.reporter?.name ?? null, i.reporter?.phone ?? null,
    i.cell, i.community, i.street, i.district, i.status, i.version, i.department ?? null, i.deadline ?? null, i.reworkCount ?? 0, i.postponedCount ?? 0,
    i.filedAt ?? null, i.dispatchedAt ?? null, i.handledAt ?? null, i.closedAt ?? null, i.duplicateOf ?? null, i.mergedInto ?? null, i.feedback ?? null,
    events.map(e => [e.at, e.actor, e.action, e.from, e.to, e.note ?? null]), i.reminders ?? 0, i.escalatedAt ?? null,
    // migrations 9 and 10: request type, dispatches, returns, self-handling, assisting departments, a pending request
    [i.requestType ?? null, i.dispatchCount ?? 0, i.returnCount ?? 0, i.selfHandled ? 1 : 0, i.evidencePhoto ?? null,
      i.assistingDepartments ?? null, i.postponeRequest ? [i.postponeRequest.deadline, i.postponeRequest.reason, i.postponeRequest.at] : null],
  ])
  return JSON.stringify([c.rejected, c.events, rows])
}

export function decodeChunk(text: string): Chunk {
  const [rejected, events, rows] = JSON.parse(text) as [number, number, unknown[][]]
  const opt = <T>(v: unknown): T | undefined => (v === null ? undefined : v as T)
  const records: HistoryRecord[] = rows.map((r) => {
    const name = opt<string>(r[9])
    const phone = opt<string>(r[10])
    const incident: HistoryRecord['incident'] = {
      id: r[0] as string, source: r[1] as never, category: r[2] as string, severity: r[3] as never, lon: r[4] as number, lat: r[5] as number,
      reportedAt: r[6] as string, receivedAt: r[7] as string, description: r[8] as string,
      reporter: name === undefined && phone === undefined ? undefined : { name, phone },
      cell: r[11] as string, community: r[12] as string, street: r[13] as string, district: r[14] as string, status: r[15] as never, version: r[16] as number,
      seq: 0, department: opt(r[17]), deadline: opt(r[18]), reworkCount: (r[19] as number) || undefined, postponedCount: (r[20] as number) || undefined,
      filedAt: opt(r[21]), dispatchedAt: opt(r[22]), handledAt: opt(r[23]), closedAt: opt(r[24]), duplicateOf: opt(r[25]), mergedInto: opt(r[26]),
      feedback: opt(r[27]), reminders: (r[29] as number) || undefined, escalatedAt: opt(r[30]),
    }
    const [requestType, dispatchCount, returnCount, selfHandled, evidencePhoto, assisting, request] = r[31] as [never, number, number, number, string | null, string[] | null, [string, string, string] | null]
    if (requestType !== null) incident.requestType = requestType
    if (dispatchCount) incident.dispatchCount = dispatchCount
    if (returnCount) incident.returnCount = returnCount
    if (selfHandled) incident.selfHandled = true
    if (evidencePhoto !== null) incident.evidencePhoto = evidencePhoto
    if (assisting !== null) incident.assistingDepartments = assisting
    if (request !== null) incident.postponeRequest = { deadline: request[0], reason: request[1], at: request[2] }
    const events = (r[28] as [string, string, string, string, string, string | null][]).map(e => ({ at: e[0], actor: e[1], action: e[2], from: e[3], to: e[4], note: opt<string>(e[5]) }))
    return { incident, events }
  })
  return { records, rejected, events }
}

/** One slice [startMs, endMs) on its own (see createHistoryChunker): slices can be generated in any order or thread. */
export function historySlice(geo: SimulatorGeo & Pick<CityGeo, 'locate'>, o: Omit<ChunkerOptions, 'startMs'>, startMs: number, endMs: number): Chunk {
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
  // tsx registers its loader in this thread only: the worker registers it again before loading TypeScript
  const boot = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register();
    await import(${JSON.stringify(new URL('./history-worker.ts', import.meta.url).href)})`
  const count = Math.max(1, Math.min(n, slices.length))
  const queues: string[][] = Array.from({ length: count }, () => [])
  let wake: (() => void) | null = null
  let failure: Error | null = null
  const workers = queues.map((queue, w) => {
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData: { city, opts, slices: slices.filter((_, k) => k % count === w), calendar: { officeHours: activeCalendar().officeHours, files: activeCalendar().files } } })
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
