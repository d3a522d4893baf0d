import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, reactive, ref, shallowRef, watch } from 'vue'
import type { ScopeDelta } from '../../shared/events.js'
import type { IncidentSummary } from '../../shared/incident.js'
import { isOpen } from '../../shared/workflow/states.js'
import { EMPTY_FILTERS, type QueueFilters, viewQueue } from '../cases/queue-filter.js'
import { getJson } from '../services/api.js'
import { serverNow } from '../services/server-clock.js'
import { socket } from '../services/socket.js'
import { useLiveStore } from './live.js'

const QUEUE_LIMIT = 20_000

/**
 * Every open case of the live scope (up to 10,000), loaded once per (re)subscribe and kept current from the same
 * deltas the live store applies; closed, rejected and merged cases leave the queue.
 */
export const useCaseQueueStore = defineStore('caseQueue', () => {
  const live = useLiveStore()
  const byId = shallowRef(new Map<string, IncidentSummary>())
  const loading = ref(false)
  const error = ref<string | null>(null)
  const filters = reactive<QueueFilters>({ ...EMPTY_FILTERS })
  const bound = ref(false)
  // deadline flags move with time: re-evaluate every 30 s, not every second
  const clock = ref(serverNow())
  let clockTimer: number | undefined

  const view = computed(() => viewQueue(byId.value.values(), filters, clock.value))
  const total = computed(() => byId.value.size)

  async function load(): Promise<void> {
    loading.value = true
    try {
      const list = await getJson<IncidentSummary[]>(`/api/v1/cases?scope=${encodeURIComponent(live.scope)}&open=1&limit=${QUEUE_LIMIT}`)
      byId.value = new Map(list.map(i => [i.id, i]))
      error.value = null
    } catch (err) {
      error.value = (err as Error).message
    } finally {
      loading.value = false
    }
  }

  function onDelta(delta: ScopeDelta): void {
    if (delta.scope !== live.scope || delta.incidents.length === 0) return
    const next = new Map(byId.value)
    for (const i of delta.incidents) {
      const known = next.get(i.id)
      if (known && known.version > i.version) continue
      if (isOpen(i.status)) next.set(i.id, i)
      else next.delete(i.id)
    }
    byId.value = next
  }

  function resetFilters(): void {
    Object.assign(filters, EMPTY_FILTERS)
  }

  function start(): void {
    if (bound.value) return
    socket.on('scope:delta', onDelta)
    clockTimer = window.setInterval(() => { clock.value = serverNow() }, 30_000)
    bound.value = true
    if (live.subscriptions > 0) void load()
  }

  function stop(): void {
    socket.off('scope:delta', onDelta)
    window.clearInterval(clockTimer)
    bound.value = false
  }

  // a (re)subscribe may have skipped changes (snapshot after a long gap): reload rather than guess
  watch(() => live.subscriptions, () => { if (bound.value) void load() })

  return { byId, view, total, filters, loading, error, load, start, stop, resetFilters }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useCaseQueueStore, import.meta.hot))
