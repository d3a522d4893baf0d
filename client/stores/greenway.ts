import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { CoveragePush, CoverageParams, FootfallState, GreenwayDataInfo, GreenwaySnapshot } from '../../shared/greenway/types.js'
import { applyPush, type CoverageState, fromSnapshot, withFacilities, withStatuses } from '../greenway/coverage-state.js'
import type { CoverageMeasure } from '../greenway/map-layers.js'
import { getJson } from '../services/api.js'
import { socket } from '../services/socket.js'

/** Outlines are refetched at most this often while changes stream in. */
const BANDS_DEBOUNCE_MS = 1000

/**
 * Greenways and the 15-minute service circle, live: the snapshot from `greenway:subscribe` (re-taken on every
 * reconnect and after a gap), coverage pushes applied by version, the whole footfall state replaced by each push,
 * and the geometry (network, facilities, coverage outlines) fetched over HTTP and patched from the pushes.
 * Several components may use it at once: start/stop are counted.
 */
export const useGreenwayStore = defineStore('greenway', () => {
  const coverage = shallowRef<CoverageState | null>(null)
  const params = shallowRef<CoverageParams | null>(null)
  const info = shallowRef<GreenwayDataInfo | null>(null)
  const footfall = shallowRef<FootfallState | null>(null)
  const lines = shallowRef<GeoJSON.FeatureCollection | null>(null)
  const facilities = shallowRef<GeoJSON.FeatureCollection | null>(null)
  const bands = shallowRef<Partial<Record<CoverageMeasure, GeoJSON.FeatureCollection>>>({})
  const error = ref<string | null>(null)
  const lastUpdateAt = ref<number | null>(null)
  let users = 0
  let geometryVersion = -1
  const bandsWanted = new Map<CoverageMeasure, number>() // measure → maps showing it
  const bandsVersion: Partial<Record<CoverageMeasure, number>> = {}
  let bandsTimer: ReturnType<typeof setTimeout> | null = null

  const loading = computed(() => coverage.value === null && error.value === null)
  /** No network and no facilities: a city without greenway data (views show their empty state). */
  const empty = computed(() => coverage.value !== null && coverage.value.network.segments === 0 && Object.values(coverage.value.network.facilities).every(n => n === 0))
  const city = computed(() => coverage.value?.city ?? null)
  const districts = computed(() => coverage.value?.districts ?? [])
  const network = computed(() => coverage.value?.network ?? null)

  async function loadGeometry(version: number): Promise<void> {
    if (geometryVersion === version) return
    geometryVersion = version
    try {
      const [l, f] = await Promise.all([getJson<GeoJSON.FeatureCollection>('/api/v1/greenways'), getJson<GeoJSON.FeatureCollection>('/api/v1/facilities')])
      lines.value = l
      facilities.value = f
    } catch (err) {
      geometryVersion = -1
      error.value = (err as Error).message
    }
  }

  async function fetchBands(measure: CoverageMeasure): Promise<void> {
    const version = coverage.value?.version ?? 0
    if (bandsVersion[measure] === version) return
    bandsVersion[measure] = version
    try {
      const fc = await getJson<GeoJSON.FeatureCollection>(`/api/v1/coverage/cells?measure=${measure}`)
      bands.value = { ...bands.value, [measure]: fc }
    } catch (err) {
      bandsVersion[measure] = -1
      error.value = (err as Error).message
    }
  }

  /** A map switches its coverage layer from `previous` to `next`: outlines of shown measures are fetched and kept current. */
  function wantBands(next: CoverageMeasure | null, previous: CoverageMeasure | null = null): void {
    if (previous) {
      const n = (bandsWanted.get(previous) ?? 1) - 1
      if (n > 0) bandsWanted.set(previous, n)
      else bandsWanted.delete(previous)
    }
    if (next) {
      bandsWanted.set(next, (bandsWanted.get(next) ?? 0) + 1)
      void fetchBands(next)
    }
  }

  function refreshBandsSoon(): void {
    if (bandsTimer) return
    bandsTimer = setTimeout(() => {
      bandsTimer = null
      for (const m of bandsWanted.keys()) void fetchBands(m)
    }, BANDS_DEBOUNCE_MS)
  }

  function take(s: GreenwaySnapshot): void {
    coverage.value = fromSnapshot(s)
    params.value = s.params
    info.value = s.info
    footfall.value = s.footfall
    lastUpdateAt.value = Date.now()
    error.value = null
  }

  async function subscribe(): Promise<void> {
    try {
      const res = await socket.timeout(10_000).emitWithAck('greenway:subscribe', {})
      if (!res.ok) {
        error.value = res.error
        return
      }
      const reloaded = coverage.value !== null && res.data.version !== coverage.value.version
      take(res.data)
      // geometry carries statuses: refetch it when the snapshot moved on without us (reconnect, gap)
      if (reloaded) geometryVersion = -1
      await loadGeometry(res.data.version)
      refreshBandsSoon()
    } catch (err) {
      error.value = (err as Error).message
    }
  }

  function onCoverage(push: CoveragePush): void {
    if (!coverage.value) return
    const outcome = applyPush(coverage.value, push)
    if (outcome.kind === 'gap') {
      void subscribe()
      return
    }
    if (outcome.kind === 'stale') return
    coverage.value = outcome.state
    lastUpdateAt.value = Date.now()
    if (outcome.kind === 'reset') {
      geometryVersion = -1
      void loadGeometry(push.version)
    } else {
      if (lines.value) lines.value = withStatuses(lines.value, push.segments)
      if (facilities.value) facilities.value = withFacilities(facilities.value, push.facilities)
      geometryVersion = push.version
    }
    refreshBandsSoon()
  }

  function onFootfall(state: FootfallState): void {
    footfall.value = state
    lastUpdateAt.value = Date.now()
  }

  const onConnect = () => { void subscribe() }

  function start(): void {
    users += 1
    if (users > 1) return
    socket.on('greenway:coverage', onCoverage)
    socket.on('footfall:updated', onFootfall)
    socket.on('connect', onConnect)
    if (socket.connected) void subscribe()
  }

  function stop(): void {
    users = Math.max(0, users - 1)
    if (users > 0) return
    socket.off('greenway:coverage', onCoverage)
    socket.off('footfall:updated', onFootfall)
    socket.off('connect', onConnect)
    if (bandsTimer) clearTimeout(bandsTimer)
    bandsTimer = null
    if (socket.connected) void socket.timeout(5000).emitWithAck('greenway:unsubscribe', {}).catch(() => undefined)
  }

  return {
    coverage, city, districts, network, params, info, footfall, lines, facilities, bands, error, loading, empty, lastUpdateAt,
    start, stop, retry: subscribe, wantBands,
  }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useGreenwayStore, import.meta.hot))
