import type { KindFigures } from './protocol.js'

/** Latencies and outcomes per request kind, in one load process. A timed-out request counts at the timeout. */
export class Recorder {
  readonly kinds: Record<string, KindFigures> = {}
  /** False during the warm-up: requests begun then are made but not counted (`record` itself always counts). */
  measuring = false

  record(kind: string, ms: number, outcome: string | number): void {
    const k = this.kinds[kind] ??= { latencies: [], outcomes: {} }
    k.latencies.push(ms)
    k.outcomes[outcome] = (k.outcomes[outcome] ?? 0) + 1
  }

  /**
   * One HTTP request, timed from just before the send until the whole body is read. Returns the status and the
   * parsed body (null unless 200 and JSON) so loads can act on it; never throws.
   */
  async request<T>(kind: string, url: string, init: RequestInit & { timeoutMs: number }): Promise<{ status: number | 'timeout' | 'network', body: T | null, headers: Headers | null }> {
    const t0 = performance.now()
    const counted = this.measuring
    const record = (ms: number, outcome: string | number) => { if (counted) this.record(kind, ms, outcome) }
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(init.timeoutMs) })
      const text = await res.text()
      record(performance.now() - t0, res.status)
      return { status: res.status, body: res.status === 200 ? JSON.parse(text) as T : null, headers: res.headers }
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError'
      // undici's cause says what the connection did (ECONNRESET, UND_ERR_SOCKET …): kept, so a failure can be read
      const code = ((err as Error).cause as { code?: string } | undefined)?.code
      record(timedOut ? init.timeoutMs : performance.now() - t0, timedOut ? 'timeout' : `network${code ? ` ${code}` : ''}`)
      return { status: timedOut ? 'timeout' : 'network', body: null, headers: null }
    }
  }
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across the bench's processes. */
export const epochMs = () => performance.timeOrigin + performance.now()

export const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))
