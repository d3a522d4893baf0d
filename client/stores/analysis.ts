import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { CaseEvent, Incident } from '../../shared/incident.js'
import type { AnalysisIncidentPage, AnalysisPoints, AnalysisSummary } from '../../shared/analysis.js'
import { apiParams, apiRange, type AnalysisState } from '../analysis/url-state.js'
import { getJson, getJsonWhenLoaded, type Warming } from '../services/api.js'
import { serverNow } from '../services/server-clock.js'

export interface AnalysisShapes { unit: GeoJSON.Feature | null, children: GeoJSON.FeatureCollection }

/** Levels whose map shows the incidents themselves (and whose playback moves points rather than shading). */
export const POINT_LEVELS = new Set(['community', 'cell'])
const POINT_LIMIT = 20_000

/**
 * The drill-down's data, driven by the route: the view hands over each new URL state (`apply`), the store loads what
 * changed (summary, shapes, incident page, points) and drops answers that arrive for a state no longer shown.
 */
export const useAnalysisStore = defineStore('analysis', () => {
  const state = shallowRef<AnalysisState | null>(null)
  const summary = shallowRef<AnalysisSummary | null>(null)
  const shapes = shallowRef<AnalysisShapes | null>(null)
  const page = shallowRef<AnalysisIncidentPage | null>(null)
  const points = shallowRef<AnalysisPoints | null>(null)
  const frames = shallowRef<AnalysisSummary['frames'] | null>(null)
  const loading = ref(false)
  /** The server is still reading the history into memory (after a start without its snapshot): how far it got. */
  const warming = shallowRef<Warming | null>(null)
  const pageLoading = ref(false)
  const error = ref<string | null>(null)
  const pageError = ref<string | null>(null)
  const caseDetail = shallowRef<{ incident: Incident, events: CaseEvent[] } | null>(null)
  const caseError = ref<string | null>(null)
  const shapeCache = new Map<string, Promise<AnalysisShapes>>()
  let offset = 480
  let generation = 0
  let lastKey = ''
  let lastPageKey = ''
  let lastCase = ''

  const range = computed(() => state.value ? apiRange(state.value.from, state.value.to, serverNow(), offset) : null)

  function params(s: AnalysisState): URLSearchParams {
    return apiParams(s, apiRange(s.from, s.to, serverNow(), offset))
  }

  function loadShapes(level: string, code: string): Promise<AnalysisShapes> {
    const key = `${level}:${code}`
    let p = shapeCache.get(key)
    if (!p) {
      p = getJson<AnalysisShapes>(`/api/v1/analysis/shapes?level=${level}&code=${code}`)
      p.catch(() => shapeCache.delete(key))
      shapeCache.set(key, p)
    }
    return p
  }

  /** A new URL state: reload what depends on what changed. */
  async function apply(next: AnalysisState, utcOffsetMinutes: number): Promise<void> {
    offset = utcOffsetMinutes
    state.value = next
    const key = params(next).toString()
    const pageKey = `${key}|${next.page}|${next.sort}|${next.desc}`
    const tasks: Promise<void>[] = []
    if (key !== lastKey) {
      lastKey = key
      lastPageKey = ''
      tasks.push(loadMain(next, key))
    }
    if (pageKey !== lastPageKey) {
      lastPageKey = pageKey
      tasks.push(loadPage(next, pageKey))
    }
    if (next.caseId !== lastCase) {
      lastCase = next.caseId ?? ''
      tasks.push(loadCase(next.caseId))
    }
    await Promise.all(tasks)
  }

  async function loadMain(s: AnalysisState, key: string): Promise<void> {
    const mine = ++generation
    loading.value = true
    error.value = null
    frames.value = null
    const q = params(s)
    try {
      const [sum, shp, pts] = await Promise.all([
        getJsonWhenLoaded<AnalysisSummary>(`/api/v1/analysis/summary?${q}`, (w) => { if (mine === generation) warming.value = w }, () => mine === generation),
        loadShapes(s.level, s.code),
        POINT_LEVELS.has(s.level) ? getJson<AnalysisPoints>(`/api/v1/analysis/points?${q}&limit=${POINT_LIMIT}`) : Promise.resolve(null),
      ])
      if (mine !== generation || key !== lastKey) return
      summary.value = sum
      shapes.value = shp
      points.value = pts
    } catch (err) {
      if (mine === generation) error.value = (err as Error).message
    } finally {
      if (mine === generation) {
        loading.value = false
        warming.value = null
      }
    }
  }

  async function loadPage(s: AnalysisState, pageKey: string): Promise<void> {
    pageLoading.value = true
    pageError.value = null
    const q = params(s)
    q.set('page', String(s.page))
    q.set('pageSize', '20')
    q.set('sort', s.sort)
    q.set('order', s.desc ? 'desc' : 'asc')
    try {
      const res = await getJsonWhenLoaded<AnalysisIncidentPage>(`/api/v1/analysis/incidents?${q}`, () => undefined, () => pageKey === lastPageKey)
      if (pageKey === lastPageKey) page.value = res
    } catch (err) {
      if (pageKey === lastPageKey) {
        pageError.value = (err as Error).message
        page.value = null
      }
    } finally {
      if (pageKey === lastPageKey) pageLoading.value = false
    }
  }

  async function loadCase(id: string | null): Promise<void> {
    caseDetail.value = null
    caseError.value = null
    if (!id) return
    const path = `/api/v1/incidents/${encodeURIComponent(id)}`
    try {
      const [incident, events] = await Promise.all([getJson<Incident>(path), getJson<CaseEvent[]>(`${path}/events`)])
      if (lastCase === id) caseDetail.value = { incident, events }
    } catch (err) {
      if (lastCase === id) caseError.value = (err as Error).message
    }
  }

  /** Frames for the playback (children × buckets), loaded when the playback is opened. */
  async function loadFrames(): Promise<void> {
    const s = state.value
    if (!s || frames.value) return
    const key = lastKey
    const res = await getJson<AnalysisSummary>(`/api/v1/analysis/summary?${params(s)}&parts=frames`)
    if (key === lastKey) frames.value = res.frames ?? null
  }

  /** Every incident of the current view for the CSV export at cell level (paged, up to `max`). */
  async function allIncidents(max = 5_000): Promise<AnalysisIncidentPage['rows']> {
    const s = state.value
    if (!s) return []
    const rows: AnalysisIncidentPage['rows'] = []
    for (let p = 1; rows.length < max; p++) {
      const q = params(s)
      q.set('page', String(p))
      q.set('pageSize', '500')
      const res = await getJson<AnalysisIncidentPage>(`/api/v1/analysis/incidents?${q}`)
      rows.push(...res.rows)
      if (res.rows.length < 500 || rows.length >= res.total) break
    }
    return rows.slice(0, max)
  }

  return { state, summary, shapes, page, points, frames, loading, warming, pageLoading, error, pageError, caseDetail, caseError, range, apply, loadFrames, allIncidents }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useAnalysisStore, import.meta.hot))
