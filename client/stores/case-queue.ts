import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, reactive, ref, shallowRef, watch } from 'vue'
import type { ScopeDelta } from '../../shared/events.js'
import type { LiveChange } from '../live/live-feed.js'
import { EMPTY_FILTERS, type QueueFilters, viewQueue } from '../cases/queue-filter.js'
import { addPage, applyToWindow, type CasePage, fromFirstPage, type QueueWindow } from '../cases/queue-sync.js'
import { getJson } from '../services/api.js'
import { serverNow } from '../services/server-clock.js'
import { useLiveStore } from './live.js'

/** Cases per request: a few screens of the virtualised list; more load as the operator scrolls. */
const PAGE = 300
/** Pages fetched while a filter is on: faceted counts must count every open case, not the loaded screens. */
const FILTER_PAGE = 1000

/**
 * The open cases of the live scope the console shows: the first page on every (re)subscribe, further pages as the
 * operator scrolls, all kept current from the deltas the live store's feed applied (client/live/live-feed.ts: gap
 * check and resync happen there once), under the same rule against the window's own seq — a page loaded at a seq
 * the next delta does not continue means changes were missed, so the queue reloads (client/cases/queue-sync.ts).
 */
export const useCaseQueueStore = defineStore('caseQueue', () => {
  const live = useLiveStore()
  const window_ = shallowRef<QueueWindow | null>(null)
  const loading = ref(false)
  const loadingMore = ref(false)
  const error = ref<string | null>(null)
  const filters = reactive<QueueFilters>({ ...EMPTY_FILTERS })
  const bound = ref(false)
  // deadline flags move with time: re-evaluate every 30 s, not every second
  const clock = ref(serverNow())
  let clockTimer: number | undefined
  // deltas that arrive while the first page is on its way: applied after it (those it covers change nothing)
  const held: ScopeDelta[] = []
  let generation = 0

  const byId = computed(() => window_.value?.byId ?? new Map())
  const view = computed(() => viewQueue(byId.value.values(), filters, clock.value))
  const loaded = computed(() => byId.value.size)
  /** Open cases in scope, loaded or not (the live aggregates count them all). */
  const total = computed(() => Math.max(live.aggregates?.open ?? 0, loaded.value))
  const hasMore = computed(() => (window_.value?.nextCursor ?? null) !== null)

  const filtering = computed(() => Object.values(filters).some(v => v.trim() !== ''))

  const pageUrl = (cursor?: string, limit = PAGE) => `/api/v1/cases?scope=${encodeURIComponent(live.scope)}&open=1&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`

  async function load(): Promise<void> {
    const mine = ++generation
    loading.value = true
    held.length = 0
    try {
      const page = await getJson<CasePage>(pageUrl())
      if (mine !== generation) return
      window_.value = fromFirstPage(page)
      error.value = null
      const list = held.splice(0)
      loading.value = false
      for (const d of list) onDelta(d)
      if (filtering.value) void loadAll()
    } catch (err) {
      if (mine === generation) error.value = (err as Error).message
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  /** The next page, when the operator scrolls near the end of what is loaded. */
  async function loadMore(limit = PAGE): Promise<void> {
    const cursor = window_.value?.nextCursor
    if (!cursor || loading.value || loadingMore.value) return
    const mine = generation
    loadingMore.value = true
    try {
      const page = await getJson<CasePage>(pageUrl(cursor, limit))
      if (mine === generation && window_.value?.nextCursor === cursor) window_.value = addPage(window_.value, page)
    } catch (err) {
      error.value = (err as Error).message
    } finally {
      loadingMore.value = false
    }
  }

  /** Every remaining page, one request at a time (each a few ms on the server), while a filter is on. */
  async function loadAll(): Promise<void> {
    const mine = generation
    while (filtering.value && mine === generation && hasMore.value && !error.value) {
      if (loadingMore.value) await new Promise(resolve => setTimeout(resolve, 50))
      else await loadMore(FILTER_PAGE)
    }
  }
  watch(filtering, (on) => { if (on && bound.value) void loadAll() })

  function onDelta(delta: ScopeDelta): void {
    if (delta.scope !== live.scope) return
    if (loading.value) {
      held.push(delta)
      return
    }
    if (!window_.value) return
    const out = applyToWindow(window_.value, delta)
    if (out.kind === 'gap') void load()
    else window_.value = out.window
  }

  /** Live changes: deltas apply to the window; a snapshot the server pushed (the feed fell behind) reloads it. */
  function onLive(change: LiveChange): void {
    if (change.kind === 'deltas') for (const d of change.deltas) onDelta(d)
    else if (change.kind === 'snapshot') void load()
  }
  let unlisten: (() => void) | null = null

  function resetFilters(): void {
    Object.assign(filters, EMPTY_FILTERS)
  }

  function start(): void {
    if (bound.value) return
    unlisten = live.listen(onLive)
    clockTimer = window.setInterval(() => { clock.value = serverNow() }, 30_000)
    bound.value = true
    if (live.subscriptions > 0) void load()
  }

  function stop(): void {
    unlisten?.()
    unlisten = null
    window.clearInterval(clockTimer)
    bound.value = false
  }

  // a (re)subscribe may have skipped changes (snapshot after a long gap, a resync): reload rather than guess
  watch(() => live.subscriptions, () => { if (bound.value) void load() })

  return { byId, view, total, loaded, hasMore, filtering, filters, loading, loadingMore, error, load, loadMore, start, stop, resetFilters }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useCaseQueueStore, import.meta.hot))
