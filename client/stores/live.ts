import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { LIVE_KEEP } from '../../shared/events.js'
import { type ScopeDeltaWire, type ScopeSnapshotWire, unpackDelta, unpackSnapshot, unpackSubscribeResult } from '../../shared/live-wire.js'
import type { Scope } from '../../shared/scope.js'
import { LiveFeed, type LiveListener } from '../live/live-feed.js'
import type { ScopeState } from '../live/scope-state.js'
import { motion, untilNextSecond } from '../motion.js'
import { serverNow } from '../services/server-clock.js'
import { socket } from '../services/socket.js'

const CAP = LIVE_KEEP

/**
 * Live incidents and aggregates of one scope, for every view (wall, ops console, map, charts, case queue): the
 * socket's pushes go through one LiveFeed (client/live/live-feed.ts: gap check, pacing, resync). It subscribes on
 * connect and on every reconnect with the last applied sequence number, so a network drop or a server restart
 * resumes without a gap and without a reload. Consumers that keep their own copy `listen` for diffs.
 */
export const useLiveStore = defineStore('live', () => {
  const scope = ref<Scope>('city')
  const state = shallowRef<ScopeState | null>(null)
  const error = ref<string | null>(null)
  /** The last update on the city's clock (shown), and on this browser's real clock (staleness is a real-time matter). */
  const lastUpdateAt = ref<number | null>(null)
  const lastUpdateRealAt = ref<number | null>(null)
  const bound = ref(false)
  /** Bumped after every successful (re)subscribe: other stores re-sync what belongs to the scope (alarms). */
  const subscriptions = ref(0)
  /**
   * A view that shows only what this store holds (the wall: no case queue following every change) asks the server
   * for the newest CAP changes per delta only: the same state, far fewer bytes when reports arrive faster than CAP
   * per delta. Set before `start`; the ops console leaves it off (its queue follows every change).
   */
  const keepNewest = ref(false)
  /**
   * A view that draws no description (the wall's rows are compact) asks for incidents without it: a third fewer bytes
   * to decode per delta. What the store holds then lacks descriptions, so a view that draws them (the console) must not
   * resume on it: its first subscribe after a brief one asks for a fresh snapshot.
   */
  const brief = ref(false)
  let heldBrief = false
  /** A view that shows no alarms (the wall) asks not to be pushed them. */
  const alarms = ref(true)

  const aggregates = computed(() => state.value?.aggregates ?? null)
  const incidents = computed(() => state.value?.incidents ?? [])

  const feed = new LiveFeed(scope.value, {
    cap: CAP,
    subscribe: async (target, sinceSeq) => {
      const asBrief = brief.value
      const since = heldBrief && !asBrief ? undefined : sinceSeq
      const res = await socket.timeout(10_000).emitWithAck('scope:subscribe', { scope: target, ...(since !== undefined && { sinceSeq: since }), ...(keepNewest.value && { keep: CAP }), ...(asBrief && { brief: true }), ...(!alarms.value && { alarms: false }) })
      if (res.ok) heldBrief = asBrief // after a brief hold the answer is a snapshot (no sinceSeq): it replaces all
      return res.ok ? { ok: true, data: unpackSubscribeResult(res.data) } : res
    },
    failed: (message) => { error.value = message },
    calm: () => motion.value === 'calm',
    untilNextSecond: () => untilNextSecond(),
  })
  feed.listen((change) => {
    if (change.state !== state.value) {
      state.value = change.state
      if (change.state) {
        lastUpdateAt.value = serverNow()
        lastUpdateRealAt.value = Date.now()
      }
    }
    if (change.kind === 'subscribed') {
      error.value = null
      subscriptions.value += 1
    }
  })

  /** Diffs of every change to come (the map's points, an open case, the case queue's window); returns the stop. */
  function listen(listener: LiveListener): () => void {
    return feed.listen(listener)
  }

  // the wire packs incident lists as columns (shared/live-wire.ts); the feed and every view see plain summaries
  const onDelta = (delta: ScopeDeltaWire) => feed.onDelta(unpackDelta(delta))
  const onSnapshot = (snapshot: ScopeSnapshotWire) => feed.onSnapshot(unpackSnapshot(snapshot))
  const onConnect = () => { void feed.subscribe() }

  function start(initial: Scope): void {
    scope.value = initial
    feed.scope = initial
    if (!bound.value) {
      socket.on('scope:delta', onDelta)
      socket.on('scope:snapshot', onSnapshot)
      socket.on('connect', onConnect)
      bound.value = true
    }
    if (socket.connected) void feed.subscribe()
  }

  async function switchScope(next: Scope): Promise<void> {
    if (next === scope.value) return
    const previous = scope.value
    scope.value = next
    feed.switchTo(next)
    if (socket.connected) {
      await socket.timeout(5000).emitWithAck('scope:unsubscribe', { scope: previous }).catch(() => undefined)
      await feed.pending // one for the previous scope: it gives up on seeing the switch
      await feed.subscribe()
    }
  }

  function stop(): void {
    socket.off('scope:delta', onDelta)
    socket.off('scope:snapshot', onSnapshot)
    socket.off('connect', onConnect)
    feed.stop()
    bound.value = false
  }

  return { scope, state, aggregates, incidents, error, lastUpdateAt, lastUpdateRealAt, subscriptions, keepNewest, brief, alarms, start, stop, switchScope, setPaced: feed.setPaced.bind(feed), listen }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useLiveStore, import.meta.hot))
