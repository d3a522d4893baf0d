import type { ScopeDelta, ScopeSnapshot, SubscribeResult } from '../../shared/events.js'
import type { Scope } from '../../shared/scope.js'
import { diffLists, EMPTY_DIFF, type LiveDiff } from './live-diff.js'
import { applyDeltas, fromSnapshot, type ScopeState } from './scope-state.js'

/**
 * Why the state changed: `subscribed` answers a (re)subscribe (a snapshot or a resumed delta; consumers that keep
 * their own window reload then), `snapshot` is one the server pushed to a client that fell behind, `deltas` are
 * live changes, `cleared` is a scope switch (the state is null until the new scope's answer).
 */
export type LiveChangeKind = 'subscribed' | 'snapshot' | 'deltas' | 'cleared'

export interface LiveChange {
  kind: LiveChangeKind
  state: ScopeState | null
  /** Against the previous state, by id: what the map applies (never the whole list). */
  diff: LiveDiff
  /** The deltas this change applied, in order (for consumers that hold more than the capped list: the case queue). */
  deltas: readonly ScopeDelta[]
}

export type LiveListener = (change: LiveChange) => void

export interface LiveFeedDeps {
  /** Most incidents held (newest change first). */
  cap: number
  /** Asks the server for `scope`: resumed after `sinceSeq` when given and still possible, else a snapshot. */
  subscribe: (scope: Scope, sinceSeq: number | undefined) => Promise<{ ok: true, data: SubscribeResult } | { ok: false, error: string }>
  /** A (re)subscribe failed (the next reconnect retries). */
  failed: (message: string) => void
  /** Calm motion (client/motion.ts): a paced feed then applies deltas together on the clock's tick. */
  calm: () => boolean
  /** Milliseconds to the next whole second. */
  untilNextSecond: () => number
}

/**
 * The client's one application of the live path (docs/ARCHITECTURE.md, "Client live state"): every `scope:delta`
 * and `scope:snapshot` of the live scope comes through here. It checks continuity (a delta starting past seq + 1
 * means changes were missed: resubscribe with `sinceSeq`, and the server answers with a catch-up delta or a
 * snapshot), holds pushes while a (re)subscribe is in flight, paces a calm wall to one change a second, and tells
 * each listener what changed as a diff. No Vue, no socket: the live store wires those in.
 */
export class LiveFeed {
  private current: ScopeState | null = null
  private readonly listeners = new Set<LiveListener>()
  // pushes that arrive while a (re)subscribe is in flight, applied after its answer (those it covers are skipped by
  // their seq), so a resync neither loses them nor starts a second resync
  private inFlight: Promise<void> | null = null
  private readonly held: ScopeDelta[] = []
  private resyncAgain = false
  // a calm, paced wall: deltas wait for the next whole second and apply together on the clock's tick, half a second
  // away from the map's calm draw (on a software renderer every changed frame is a full-screen render)
  private readonly queued: ScopeDelta[] = []
  private flushTimer: ReturnType<typeof setTimeout> | null = null
  private paced = false

  constructor(public scope: Scope, private readonly deps: LiveFeedDeps) {}

  get state(): ScopeState | null {
    return this.current
  }

  /** The (re)subscribe in flight, if any. */
  get pending(): Promise<void> | null {
    return this.inFlight
  }

  /** Calls `listener` on every change; returns the call that stops it. */
  listen(listener: LiveListener): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  /** The wall asks for paced updates while it is shown; operators' views are not paced. */
  setPaced(on: boolean): void {
    this.paced = on
    if (!on && this.flushTimer) this.flush()
  }

  /** Subscribes (or resubscribes from the last applied seq); at most one in flight. */
  subscribe(): Promise<void> {
    this.inFlight ??= this.resubscribe().finally(() => {
      this.inFlight = null
      const list = this.held.splice(0)
      if (list.length > 0) this.apply(list)
      if (this.resyncAgain) {
        this.resyncAgain = false
        void this.subscribe()
      }
    })
    return this.inFlight
  }

  onDelta(delta: ScopeDelta): void {
    if (this.inFlight) {
      if (delta.scope === this.scope) this.held.push(delta)
      return
    }
    if (!this.current) return
    if (!this.paced || !this.deps.calm()) {
      this.apply([delta])
      return
    }
    this.queued.push(delta)
    this.flushTimer ??= setTimeout(() => this.flush(), this.deps.untilNextSecond())
  }

  onSnapshot(snapshot: ScopeSnapshot): void {
    if (snapshot.scope === this.scope) this.replace('snapshot', fromSnapshot(snapshot, this.deps.cap))
  }

  /** Another scope: what was held is dropped (listeners hear every id removed) until its subscription answers. */
  switchTo(next: Scope): void {
    this.scope = next
    this.cancelFlush()
    this.queued.length = 0
    this.held.length = 0
    const before = this.current
    this.current = null
    if (before) this.emit({ kind: 'cleared', state: null, diff: diffLists(before.incidents, []), deltas: [] })
  }

  stop(): void {
    this.cancelFlush()
    this.queued.length = 0
  }

  private async resubscribe(): Promise<void> {
    const target = this.scope
    const sinceSeq = this.current?.scope === target ? this.current.seq : undefined
    try {
      const res = await this.deps.subscribe(target, sinceSeq)
      if (target !== this.scope) return
      if (!res.ok) this.deps.failed(res.error)
      else if (res.data.kind === 'snapshot') this.replace('subscribed', fromSnapshot(res.data.snapshot, this.deps.cap))
      else this.resumed(res.data.delta)
    } catch (err) {
      this.deps.failed((err as Error).message)
    }
  }

  /** A resumed subscription: the catch-up delta applies like any other; listeners hear `subscribed` either way. */
  private resumed(delta: ScopeDelta): void {
    const before = this.current
    if (!before) {
      this.emit({ kind: 'subscribed', state: null, diff: EMPTY_DIFF, deltas: [] })
      return
    }
    const out = applyDeltas(before, [delta], this.deps.cap)
    this.current = out.state
    this.emit({ kind: 'subscribed', state: out.state, diff: diffLists(before.incidents, out.state.incidents, out.touched), deltas: [delta] })
    if (out.gap) this.resyncAgain = true
  }

  private flush(): void {
    this.cancelFlush()
    this.apply(this.queued.splice(0))
  }

  private cancelFlush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer)
    this.flushTimer = null
  }

  /** One state change for the lot; a gap resubscribes from the last delta that applied (the live-path rule). */
  private apply(list: readonly ScopeDelta[]): void {
    const before = this.current
    if (!before) return
    const out = applyDeltas(before, list, this.deps.cap)
    if (out.changed) {
      this.current = out.state
      this.emit({ kind: 'deltas', state: out.state, diff: diffLists(before.incidents, out.state.incidents, out.touched), deltas: list.slice(0, out.taken) })
    }
    if (out.gap) void this.subscribe()
  }

  private replace(kind: LiveChangeKind, next: ScopeState): void {
    const before = this.current
    this.current = next
    this.emit({ kind, state: next, diff: diffLists(before?.incidents ?? [], next.incidents), deltas: [] })
  }

  private emit(change: LiveChange): void {
    for (const listener of this.listeners) listener(change)
  }
}
