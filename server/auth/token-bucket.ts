/**
 * Token buckets by key: `capacity` tokens, refilled at `perMs` one token per that many ms. Used for API keys' rate
 * limits and the login throttle. Memory is bounded: full buckets are forgotten (a full bucket equals a new one).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number, at: number }>()

  constructor(private readonly capacity: number, private readonly refillMs: number, private readonly now: () => number = Date.now) {}

  private level(key: string, t: number): number {
    const b = this.buckets.get(key)
    if (!b) return this.capacity
    return Math.min(this.capacity, b.tokens + (t - b.at) / this.refillMs)
  }

  /** Takes `n` tokens if they are there (all or none); else returns the seconds until they will be (Retry-After). */
  take(key: string, n = 1): { ok: true } | { ok: false, retryAfterS: number } {
    const t = this.now()
    const tokens = this.level(key, t)
    if (tokens < n) return { ok: false, retryAfterS: Math.max(1, Math.ceil((n - tokens) * this.refillMs / 1000)) }
    this.buckets.set(key, { tokens: tokens - n, at: t })
    this.sweep(t)
    return { ok: true }
  }

  /** Seconds until a token is available (0: now), without taking one. */
  waitS(key: string): number {
    const tokens = this.level(key, this.now())
    return tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) * this.refillMs / 1000))
  }

  reset(key: string): void {
    this.buckets.delete(key)
  }

  private sweep(t: number): void {
    if (this.buckets.size < 10_000) return
    for (const [key] of this.buckets) if (this.level(key, t) >= this.capacity) this.buckets.delete(key)
  }
}
