import { createHash } from 'node:crypto'

/**
 * Identical analytics reads share one answer (issue #13 item 4: "coalesce work"). Twenty analysts or a wall of
 * screens asking for the city's 30-day KPIs within the same second need one computation, not twenty: an answer is
 * shared with every identical request that arrives within `maxAgeMs` of when its computation began — those that
 * arrive while it is computed wait for it, those after get the stored body. Nothing older is ever served, and a
 * failed or refused computation is not shared (the next request computes afresh).
 */
export interface SharedAnswer { body: Buffer, etag: string, startedAt: number }

export interface SharedAnswersStats { computed: number, shared: number, entries: number }

export class SharedAnswers {
  private readonly answers = new Map<string, SharedAnswer>()
  private readonly pending = new Map<string, { startedAt: number, done: Promise<SharedAnswer | null> }>()
  private computed = 0
  private shared = 0

  constructor(private readonly maxAgeMs: number, private readonly maxEntries = 512, private readonly now: () => number = Date.now) {}

  get enabled(): boolean {
    return this.maxAgeMs > 0
  }

  /**
   * The shared answer for `key` — or `compute` when this request must compute it itself: it is then the computation
   * identical requests wait for, and must call `settle` once, with the body or with null on failure.
   */
  async join(key: string): Promise<{ kind: 'shared', answer: SharedAnswer } | { kind: 'compute', settle: (body: Buffer | null) => void }> {
    const at = this.now()
    const stored = this.answers.get(key)
    if (stored && at - stored.startedAt <= this.maxAgeMs) {
      this.shared++
      return { kind: 'shared', answer: stored }
    }
    const running = this.pending.get(key)
    if (running && at - running.startedAt <= this.maxAgeMs) {
      const answer = await running.done
      if (answer) {
        this.shared++
        return { kind: 'shared', answer }
      }
    }
    return { kind: 'compute', settle: this.begin(key, at) }
  }

  private begin(key: string, startedAt: number): (body: Buffer | null) => void {
    let resolve!: (a: SharedAnswer | null) => void
    const done = new Promise<SharedAnswer | null>(r => { resolve = r })
    const entry = { startedAt, done }
    this.pending.set(key, entry)
    let settled = false
    return body => {
      if (settled) return
      settled = true
      if (this.pending.get(key) === entry) this.pending.delete(key)
      this.computed++
      const answer = body ? { body, etag: weakEtag(body), startedAt } : null
      if (answer) this.store(key, answer)
      resolve(answer)
    }
  }

  private store(key: string, answer: SharedAnswer): void {
    const old = this.answers.get(key)
    if (old && old.startedAt > answer.startedAt) return
    this.answers.delete(key) // re-insert: the map's order is the order answers started, oldest first
    this.answers.set(key, answer)
    if (this.answers.size > this.maxEntries) this.answers.delete(this.answers.keys().next().value!)
    // answers too old to share are dropped from the front, so a quiet server holds none for long
    const now = this.now()
    for (const [k, a] of this.answers) {
      if (now - a.startedAt <= this.maxAgeMs) break
      this.answers.delete(k)
    }
  }

  stats(): SharedAnswersStats {
    return { computed: this.computed, shared: this.shared, entries: this.answers.size }
  }
}

/** Express's weak ETag of a body, computed once per shared answer instead of once per response. */
function weakEtag(body: Buffer): string {
  return `W/"${body.length.toString(16)}-${createHash('sha1').update(body).digest('base64').slice(0, 27)}"`
}
