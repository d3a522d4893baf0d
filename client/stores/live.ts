import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { ScopeDelta, ScopeSnapshot, SubscribeResult } from '../../shared/events.js'
import type { Scope } from '../../shared/scope.js'
import { applyDeltas, fromSnapshot, type ScopeState } from '../live/scope-state.js'
import { motion, untilNextSecond } from '../motion.js'
import { serverNow } from '../services/server-clock.js'
import { socket } from '../services/socket.js'

const CAP = 500

/**
 * Live incidents and aggregates of one scope. Subscribes on connect and on every reconnect with the last applied
 * sequence number, so a network drop or a server restart resumes without a gap and without a reload.
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

  const aggregates = computed(() => state.value?.aggregates ?? null)
  const incidents = computed(() => state.value?.incidents ?? [])

  function take(next: ScopeState): void {
    state.value = next
    lastUpdateAt.value = serverNow()
    lastUpdateRealAt.value = Date.now()
  }

  // While a (re)subscribe is in flight, pushes wait here and are applied after its answer (those it already
  // covers are skipped by their seq), so a resync neither loses them nor starts a second resync.
  let inFlight: Promise<void> | null = null
  const held: ScopeDelta[] = []

  function subscribe(): Promise<void> {
    inFlight ??= resubscribe().finally(() => {
      inFlight = null
      const list = held.splice(0)
      if (list.length > 0) apply(list)
    })
    return inFlight
  }

  async function resubscribe(): Promise<void> {
    const target = scope.value
    const sinceSeq = state.value?.scope === target ? state.value.seq : undefined
    try {
      const res = await socket.timeout(10_000).emitWithAck('scope:subscribe', { scope: target, ...(sinceSeq !== undefined && { sinceSeq }) })
      if (target !== scope.value) return
      if (!res.ok) {
        error.value = res.error
        return
      }
      error.value = null
      applyResult(res.data)
      subscriptions.value += 1
    } catch (err) {
      error.value = (err as Error).message
    }
  }

  function applyResult(result: SubscribeResult): void {
    if (result.kind === 'snapshot') take(fromSnapshot(result.snapshot, CAP))
    else if (state.value) apply([result.delta])
  }

  // A wall in calm motion (client/motion.ts): deltas wait for the next whole second and apply together, on the
  // clock's tick, half a second away from the map's calm draw: on a software renderer every changed frame is a
  // full-screen render (measured: fewer frames over 100 ms than applying each 4 Hz batch at once). Operators' views
  // are not paced.
  const queued: ScopeDelta[] = []
  let flushTimer = 0
  let paced = false

  /** The wall asks for paced updates while it is shown. */
  function setPaced(on: boolean): void {
    paced = on
    if (!on && flushTimer) {
      window.clearTimeout(flushTimer)
      flushQueued()
    }
  }

  function onDelta(delta: ScopeDelta): void {
    if (inFlight) {
      if (delta.scope === scope.value) held.push(delta)
      return
    }
    if (!state.value) return
    if (!paced || motion.value !== 'calm') {
      apply([delta])
      return
    }
    queued.push(delta)
    if (!flushTimer) flushTimer = window.setTimeout(flushQueued, untilNextSecond())
  }

  function flushQueued(): void {
    flushTimer = 0
    apply(queued.splice(0))
  }

  /** One state change for the lot; a gap re-subscribes from the last delta that applied (the live-path rule). */
  function apply(list: readonly ScopeDelta[]): void {
    if (!state.value) return
    const out = applyDeltas(state.value, list, CAP)
    if (out.changed) take(out.state)
    if (out.gap) void subscribe()
  }

  function onSnapshot(snapshot: ScopeSnapshot): void {
    if (snapshot.scope === scope.value) take(fromSnapshot(snapshot, CAP))
  }

  const onConnect = () => { void subscribe() }

  function start(initial: Scope): void {
    scope.value = initial
    if (!bound.value) {
      socket.on('scope:delta', onDelta)
      socket.on('scope:snapshot', onSnapshot)
      socket.on('connect', onConnect)
      bound.value = true
    }
    if (socket.connected) void subscribe()
  }

  async function switchScope(next: Scope): Promise<void> {
    if (next === scope.value) return
    const previous = scope.value
    scope.value = next
    state.value = null
    if (socket.connected) {
      await socket.timeout(5000).emitWithAck('scope:unsubscribe', { scope: previous }).catch(() => undefined)
      if (inFlight) await inFlight // one for the previous scope: it gives up on seeing the switch
      await subscribe()
    }
  }

  function stop(): void {
    socket.off('scope:delta', onDelta)
    socket.off('scope:snapshot', onSnapshot)
    socket.off('connect', onConnect)
    bound.value = false
  }

  return { scope, state, aggregates, incidents, error, lastUpdateAt, lastUpdateRealAt, subscriptions, start, stop, switchScope, setPaced }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useLiveStore, import.meta.hot))
