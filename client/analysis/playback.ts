import type { AnalysisSummary } from '../../shared/analysis.js'

/** The playback's current frame: its index in the frames, and the time window it covers (ms, [from, to)). */
export interface PlaybackFrame { index: number, frames: NonNullable<AnalysisSummary['frames']>, window: [number, number] }

/** Playback speeds in frames per second. */
export const SPEEDS = [1, 2, 4, 8, 16] as const

/** The window of frame `k`: from its start to the next one's (the last ends one bucket later). */
export function frameWindow(starts: readonly string[], k: number, bucket: 'hour' | 'day'): [number, number] {
  const from = Date.parse(starts[k]!)
  const next = starts[k + 1]
  return [from, next ? Date.parse(next) : from + (bucket === 'hour' ? 3_600_000 : 86_400_000)]
}
