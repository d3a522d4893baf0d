export interface CheckpointData { file: string, everyMs: number }
/** Checkpointer → main thread: started, one checkpoint that had frames to look at, or one that failed. */
export type CheckpointReport =
  | { ready: true, threadId: number }
  | { ms: number, walFrames: number, copied: number, busy: boolean }
  | { error: string }
