import type { WriteTasks } from './write-tasks.js'

/** What the writer does, by name: writer/write-tasks.ts. */
export type WriteTask = Exclude<keyof WriteTasks, 'seq'>
export type WriteArgs<K extends WriteTask> = Parameters<WriteTasks[K]>
export type WriteResult<K extends WriteTask> = ReturnType<WriteTasks[K]>

/** Main thread → writer: one task; the writer runs them one at a time, in the order sent. */
export interface WriteRequest { id: number, task: WriteTask, args: unknown[] }
/** Writer → main thread: the task's result (structured clone) or its error, and the seq after it. */
export type WriteResponse = { id: number, seq: number, ok: true, value: unknown } | { id: number, seq: number, ok: false, error: string }
/** Writer → main thread, once its connection is open. */
export interface WriterReady { ready: true, threadId: number, seq: number }
export interface WriterData { file: string, rollupUpkeep: boolean }
