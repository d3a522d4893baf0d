import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'

export interface EventLoopDelay {
  /** Percentiles of the event-loop delay over the window, in ms. */
  p50Ms: number
  p99Ms: number
  maxMs: number
  /** The window those figures cover: the last complete one (or the current one before the first completes). */
  windowMs: number
  /** How late the last sampling timer fired: the delay right now, what admission looks at. */
  currentMs: number
}

const RESOLUTION_MS = 10
// the histogram records the interval between its 10 ms timer's runs: less the resolution, it is how late the loop ran
const lateness = (ns: number) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100) // ns → ms, 2 decimals

/**
 * Watches how late the event loop runs (perf_hooks histogram, rotated every `windowMs`) and how late a plain timer
 * fires, for /health and for refusing ingest while the loop is stalled. Timers are unref'd: they never keep the
 * process alive.
 */
export class EventLoopMonitor {
  private histogram: IntervalHistogram | null = null
  private last: Omit<EventLoopDelay, 'currentMs'> | null = null
  private rotateTimer: NodeJS.Timeout | null = null
  private sampleTimer: NodeJS.Timeout | null = null
  private lateMs = 0
  private recentLateMs = 0
  private recentSince = 0
  private windowStart = 0

  constructor(private readonly windowMs = 10_000, private readonly sampleMs = 50) {}

  start(): void {
    if (this.histogram) return
    this.histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
    this.histogram.enable()
    this.windowStart = Date.now()
    this.rotateTimer = setInterval(() => {
      this.last = this.figures(Date.now() - this.windowStart)
      this.histogram!.reset()
      this.windowStart = Date.now()
    }, this.windowMs).unref()
    let expected = Date.now() + this.sampleMs
    this.sampleTimer = setInterval(() => {
      const now = Date.now()
      this.lateMs = Math.max(0, now - expected)
      expected = now + this.sampleMs
      // the worst lateness of about the last second, so one on-time tick after a stall does not clear it
      if (now - this.recentSince > 1000) {
        this.recentLateMs = this.lateMs
        this.recentSince = now
      } else {
        this.recentLateMs = Math.max(this.recentLateMs, this.lateMs)
      }
    }, this.sampleMs).unref()
  }

  stop(): void {
    if (this.rotateTimer) clearInterval(this.rotateTimer)
    if (this.sampleTimer) clearInterval(this.sampleTimer)
    this.histogram?.disable()
    this.histogram = null
    this.rotateTimer = null
    this.sampleTimer = null
  }

  /** The worst timer lateness in about the last second, in ms. */
  recentDelayMs(): number {
    return this.recentLateMs
  }

  delay(): EventLoopDelay {
    const figures = this.last ?? this.figures(Date.now() - this.windowStart)
    return { ...figures, currentMs: this.lateMs }
  }

  private figures(windowMs: number): Omit<EventLoopDelay, 'currentMs'> {
    const h = this.histogram
    if (!h || h.count === 0) return { p50Ms: 0, p99Ms: 0, maxMs: 0, windowMs }
    return { p50Ms: lateness(h.percentile(50)), p99Ms: lateness(h.percentile(99)), maxMs: lateness(h.max), windowMs }
  }
}
