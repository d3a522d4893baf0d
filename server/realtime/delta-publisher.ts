import { DELTA_INTERVAL_MS, MAX_KEEP, type ScopeDelta } from '../../shared/events.js'
import { type Incident, type IncidentSummary, toSummary } from '../../shared/incident.js'
import { packDelta, packSnapshot } from '../../shared/live-wire.js'
import { type Scope, scopeRoom } from '../../shared/scope.js'
import type { LiveAggregates } from '../live-counts/live-aggregates.js'
import type { EventBus } from '../events/bus.js'
import type { Logger } from '../log.js'
import { bufferedBytes } from './backpressure.js'
import { FanOut } from './fan-out.js'
import { keepNewest } from './keep-newest.js'
import type { ScopeFeed } from './scope-feed.js'
import type { IoServer, IoSocket, SocketScopeState } from './types.js'

export interface PublisherOptions {
  intervalMs: number
  /** Above this many unsent bytes a socket stops getting room broadcasts … */
  highWaterBytes: number
  /** … and below this it is caught up with one coalesced delta (or a snapshot). */
  lowWaterBytes: number
  /** A client further behind than this many sequence numbers gets a snapshot instead of a delta. */
  maxCatchUp: number
  /** Most incidents one delta carries. Beyond it the oldest pending changes are dropped and the next delta's
   * `fromSeq` starts after them, so every subscriber sees the gap and catches up from the store (never silent). */
  maxPendingPerScope: number
  /** A person's workflow action is flushed this soon after the previous delta: humans do not act at 25 Hz, so this only
   * bounds bursts, while the 100 ms batches still carry ingest and machine steps. */
  urgentGapMs: number
  /** Sockets written per event-loop turn when a delta goes to a room (server/realtime/fan-out.ts). */
  fanOutSlice: number
}

export const DEFAULT_PUBLISHER_OPTIONS: PublisherOptions = {
  intervalMs: DELTA_INTERVAL_MS,
  highWaterBytes: 1 << 20,
  lowWaterBytes: 64 << 10,
  maxCatchUp: 5000,
  maxPendingPerScope: MAX_KEEP,
  urgentGapMs: 40,
  fanOutSlice: 20,
}

/**
 * `pending` holds the latest state per changed incident, in change order. `droppedThroughSeq` is the highest
 * sequence number whose change was dropped on overflow: the next delta may only claim the range after it.
 */
interface RoomState { lastSentSeq: number, pending: Map<string, IncidentSummary>, droppedThroughSeq: number, dropped: number }

/** What /health reports of the live path. */
export interface PublisherStats {
  pendingByScope: Record<string, number>
  laggingSockets: number
  /** Deltas that opened a gap (pending overflow) since start: each made its subscribers resync. */
  gapDeltas: number
  /** Slices of sockets a delta still has to be written to (written at the next tick at the latest). */
  fanOutQueued: number
}

/**
 * Batches changes into at most one delta per scope per interval and broadcasts it to the scope's room once
 * (one serialisation for all its clients). Sockets that cannot keep up are left out of broadcasts until their
 * buffers drain, then caught up: memory per slow client stays bounded by the socket buffer, not the event rate.
 */
export class DeltaPublisher {
  private readonly rooms = new Map<Scope, RoomState>()
  private timer: NodeJS.Timeout | null = null
  private urgentTimer: NodeJS.Timeout | null = null
  private lastTickAt = 0
  private gapDeltas = 0
  private readonly fanOut: FanOut

  constructor(
    private readonly io: IoServer,
    private readonly feed: ScopeFeed,
    private readonly aggregates: LiveAggregates,
    private readonly log: Logger,
    private readonly opts: PublisherOptions = DEFAULT_PUBLISHER_OPTIONS,
  ) {
    this.fanOut = new FanOut(opts.fanOutSlice, err => log.error('a delta could not be written to some sockets', { error: String(err) }))
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick(), this.opts.intervalMs)
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    if (this.urgentTimer) clearTimeout(this.urgentTimer)
    this.timer = null
    this.urgentTimer = null
    this.fanOut.clear()
  }

  /**
   * An operator's action should not wait for the next 100 ms batch: flush early, but never more often than every
   * `urgentGapMs`, so a burst of actions still coalesces (at most 25 deltas a second per scope).
   */
  flushSoon(): void {
    if (this.urgentTimer || !this.timer) return
    const wait = Math.max(0, this.lastTickAt + this.opts.urgentGapMs - Date.now())
    this.urgentTimer = setTimeout(() => {
      this.urgentTimer = null
      this.tick()
    }, wait)
  }

  /** A room starts tracking changes from now; earlier ones are in the subscriber's snapshot. */
  ensureRoom(scope: Scope): void {
    if (!this.rooms.has(scope)) this.rooms.set(scope, { lastSentSeq: this.feed.appliedSeq, pending: new Map(), droppedThroughSeq: 0, dropped: 0 })
  }

  stats(): PublisherStats {
    const pendingByScope: Record<string, number> = {}
    let laggingSockets = 0
    for (const [scope, room] of this.rooms) pendingByScope[scope] = room.pending.size
    for (const socket of this.io.sockets.sockets.values()) {
      for (const st of socket.data.scopes?.values() ?? []) {
        if (st.lagging) {
          laggingSockets++
          break
        }
      }
    }
    return { pendingByScope, laggingSockets, gapDeltas: this.gapDeltas, fanOutQueued: this.fanOut.queued }
  }

  /** New or changed incidents, after commit, in sequence order. */
  onStored(incidents: Incident[]): void {
    for (const i of incidents) {
      this.feed.appliedSeq = Math.max(this.feed.appliedSeq, i.seq)
      for (const scope of ['city', `district:${i.district}`, `street:${i.street}`] as const) {
        const room = this.rooms.get(scope)
        if (!room) continue
        room.pending.delete(i.id) // re-insert so the map stays in change order
        room.pending.set(i.id, toSummary(i))
        if (room.pending.size > this.opts.maxPendingPerScope) {
          const [oldestId, oldest] = room.pending.entries().next().value!
          room.pending.delete(oldestId)
          room.droppedThroughSeq = Math.max(room.droppedThroughSeq, oldest.seq)
          room.dropped += 1
        }
      }
    }
  }

  tick(): void {
    this.lastTickAt = Date.now()
    // what the previous tick's deltas still have to write goes out now, before the next ones (in order, and never
    // more than one tick behind: a slower fan-out must not make changes pile up past the pending cap)
    this.fanOut.flush()
    for (const [scope, room] of this.rooms) {
      const members = this.io.sockets.adapter.rooms.get(scopeRoom(scope))
      if (!members || members.size === 0) {
        this.rooms.delete(scope)
        continue
      }
      if (room.pending.size > 0) this.broadcast(scope, room, members)
      this.catchUpDrained(scope, members)
    }
  }

  private broadcast(scope: Scope, room: RoomState, members: Set<string>): void {
    // Pending is in change order and drops oldest first, so it holds every change after droppedThroughSeq: the
    // delta claims only that range. A subscriber at lastSentSeq then sees fromSeq past its seq + 1 and resyncs.
    const gap = room.droppedThroughSeq > room.lastSentSeq
    if (gap) this.gapDeltas++
    const delta: ScopeDelta = {
      scope,
      fromSeq: Math.max(room.lastSentSeq, room.droppedThroughSeq) + 1,
      toSeq: this.feed.appliedSeq,
      incidents: [...room.pending.values()],
      aggregates: this.aggregates.get(scope),
    }
    // A subscriber keeping fewer than the pending cap (a wall) lost nothing it holds when the oldest were dropped:
    // more than it keeps, all newer, are pending. Its delta claims the whole range and counts the dropped as omitted.
    const whole: ScopeDelta = gap ? { ...delta, fromSeq: room.lastSentSeq + 1, omitted: room.dropped } : delta
    // sockets by what they are sent: the delta (whole or trimmed to what they keep), briefly or not
    const groups = new Map<ScopeDelta, [full: string[], brief: string[]]>()
    for (const id of members) {
      const socket = this.io.sockets.sockets.get(id)
      const st = socket?.data.scopes.get(scope)
      if (!socket || !st) continue
      if (st.lagging || st.catchingUp || bufferedBytes(socket) > this.opts.highWaterBytes) {
        if (!st.lagging) this.log.debug('socket lagging; holding deltas', { socket: id, scope })
        st.lagging = true
        continue
      }
      st.lastSeq = delta.toSeq
      const own = st.keep === undefined ? delta : keepNewest(st.keep <= this.opts.maxPendingPerScope ? whole : delta, st.keep)
      let ids = groups.get(own)
      if (!ids) groups.set(own, ids = [[], []])
      ids[st.brief ? 1 : 0].push(id)
    }
    const roomName = scopeRoom(scope)
    for (const [d, forms] of groups) {
      forms.forEach((ids, form) => {
        if (ids.length === 0) return
        // packed once per kind of subscriber (shared/live-wire.ts); socket.io encodes it once per slice of sockets
        const wire = packDelta(d, form === 1)
        this.fanOut.send(ids, (slice) => {
          // a socket that left the scope while its slice waited gets nothing of it
          const still = this.io.sockets.adapter.rooms.get(roomName)
          const to = still ? slice.filter(id => still.has(id)) : []
          if (to.length > 0) this.io.to(to).emit('scope:delta', wire)
        })
      })
    }
    room.lastSentSeq = delta.toSeq
    room.droppedThroughSeq = 0
    room.dropped = 0
    room.pending.clear()
    if (gap) this.log.warn('live changes overflowed; subscribers will resync from the store', { scope, fromSeq: delta.fromSeq })
  }

  private catchUpDrained(scope: Scope, members: Set<string>): void {
    for (const id of members) {
      const socket = this.io.sockets.sockets.get(id)
      const st = socket?.data.scopes.get(scope)
      if (!socket || !st?.lagging || st.catchingUp) continue
      if (bufferedBytes(socket) > this.opts.lowWaterBytes) continue
      void this.catchUp(socket, scope, st)
    }
  }

  /** One coalesced delta from the socket's last seq, or a snapshot when it is too far behind. */
  private async catchUp(socket: IoSocket, scope: Scope, st: SocketScopeState): Promise<void> {
    st.catchingUp = true
    try {
      if (this.feed.appliedSeq - st.lastSeq > this.opts.maxCatchUp) {
        const snapshot = await this.feed.snapshot(scope)
        socket.emit('scope:snapshot', packSnapshot(snapshot, st.brief))
        st.lastSeq = snapshot.seq
      } else {
        const delta = await this.feed.changesAfter(scope, st.lastSeq, this.opts.maxCatchUp)
        socket.emit('scope:delta', packDelta(st.keep === undefined ? delta : keepNewest(delta, st.keep), st.brief))
        st.lastSeq = delta.toSeq
      }
      st.lagging = false
    } catch (err) {
      this.log.warn('catch-up failed; will retry', { socket: socket.id, scope, error: String(err) })
    } finally {
      st.catchingUp = false
    }
  }
}

/** Stored reports and committed steps join the next delta; a person's step is flushed at once, a machine's rides the batches. */
export function subscribeDeltaPublisher(bus: Pick<EventBus, 'subscribe'>, publisher: Pick<DeltaPublisher, 'onStored' | 'flushSoon'>): void {
  bus.subscribe('report.stored', 'realtime:deltas', ({ incidents }) => publisher.onStored(incidents))
  bus.subscribe('case.changed', 'realtime:deltas', ({ incident, actorKind }) => {
    publisher.onStored([incident])
    if (actorKind === 'person') publisher.flushSoon()
  })
}
