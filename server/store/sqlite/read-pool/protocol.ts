import type { IncidentRepository } from '../../repository.js'

/**
 * The reads that may take more than a few milliseconds (issue #13): what a read worker answers. Each is the store's
 * own method of that name, run against the worker's read-only connection; the same functions run on the main thread
 * when there is no pool (an in-memory database cannot be shared with another thread).
 */
export type ReadTasks = Pick<IncidentRepository, 'casePage' | 'listCases' | 'kpiCounts' | 'kpiLedgerSource' | 'analysisIncidents' | 'analysisPoints'
  | 'campaignFacts' | 'open311Requests' | 'overdueWithoutAlarm'>
export type ReadTask = keyof ReadTasks
export type ReadArgs<K extends ReadTask> = Parameters<ReadTasks[K]>
export type ReadResult<K extends ReadTask> = Awaited<ReturnType<ReadTasks[K]>>

/** Main thread → worker: one read. */
export interface ReadRequest<K extends ReadTask = ReadTask> { id: number, task: K, args: ReadArgs<K> }
/** Worker → main thread: its answer (structured clone), or the error's message. */
export type ReadResponse = { id: number, ok: true, value: unknown } | { id: number, ok: false, error: string }
/** Worker → main thread, once, when its connection is open. */
/** `nice`: the scheduling priority the worker lowered itself to (null where the OS would not). */
export interface ReadReady { ready: true, threadId: number, nice: number | null }

/** What a worker is started with. */
export interface ReadWorkerData { file: string }
