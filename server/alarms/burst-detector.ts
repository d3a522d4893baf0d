import type { BurstRule } from '../../shared/alarms.js'

/**
 * Sliding-window counter per (category, community): reports a burst when more than `threshold` reports fall within
 * `windowMinutes`, then stays quiet for that key for one window so one cluster raises one alarm.
 */
export class BurstDetector {
  private readonly windows = new Map<string, number[]>()
  private readonly quietUntil = new Map<string, number>()
  private readonly windowMs: number

  constructor(private readonly rule: BurstRule) {
    this.windowMs = rule.windowMinutes * 60_000
  }

  /** Returns the number of reports in the window when this report completes a burst, else null. */
  observe(category: string, community: string, tMs: number): number | null {
    const key = `${category}:${community}`
    const times = (this.windows.get(key) ?? []).filter(t => tMs - t < this.windowMs)
    times.push(tMs)
    this.windows.set(key, times)
    if (times.length <= this.rule.threshold) return null
    if ((this.quietUntil.get(key) ?? -Infinity) > tMs) return null
    this.quietUntil.set(key, tMs + this.windowMs)
    return times.length
  }

  /** Forgets keys with nothing left in the window (called periodically). */
  sweep(nowMs: number): void {
    for (const [key, times] of this.windows) if (times.every(t => nowMs - t >= this.windowMs)) this.windows.delete(key)
    for (const [key, until] of this.quietUntil) if (until <= nowMs) this.quietUntil.delete(key)
  }

  get keys(): number {
    return this.windows.size
  }
}
