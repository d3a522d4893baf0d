import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { KpiIndicator } from '../../shared/kpi/catalogue.js'
import { kpiWindowFrom } from '../../shared/kpi/window.js'
import { getJson } from '../services/api.js'
import { serverNow } from '../services/server-clock.js'
import { useGeoStore } from './geo.js'
import { useLiveStore } from './live.js'
import { sharedPolling } from './polling.js'

/** The wall's rates are over a rolling window: today's cases are mostly still open, which says little. */
const REFRESH_MS = 30_000

/** What /api/v1/kpis answers: every catalogue indicator of the scope and period. */
export interface KpiReport { scope: string, from: string, to: string, indicators: KpiIndicator[] }

/** Workflow KPIs (结案率, 按期结案率, 群众满意率 …) of the live scope, refreshed on a timer and on every resubscribe. */
export const useKpisStore = defineStore('kpis', () => {
  const live = useLiveStore()
  const geo = useGeoStore()
  const report = shallowRef<KpiReport | null>(null)
  const error = ref<string | null>(null)

  async function load(): Promise<void> {
    const from = kpiWindowFrom(serverNow(), geo.city?.utcOffsetMinutes ?? 480)
    try {
      report.value = await getJson<KpiReport>(`/api/v1/kpis?scope=${encodeURIComponent(live.scope)}&from=${encodeURIComponent(from)}`)
      error.value = null
    } catch (err) {
      // keep the last figures on screen; the connection badge tells the story. A busy server sheds KPIs first and
      // says when to ask again: then, not at the next 30 s refresh (a wall started with the server showed no figures
      // for its first half minute)
      error.value = (err as Error).message
      polling.retryAfter(err)
    }
  }

  const polling = sharedPolling(load, REFRESH_MS)
  return { report, error, load, start: polling.start, stop: polling.stop }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useKpisStore, import.meta.hot))
