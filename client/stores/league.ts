import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref, shallowRef, watch } from 'vue'
import type { LeagueRow } from '../../shared/kpi/league.js'
import { getJson } from '../services/api.js'
import { useLiveStore } from './live.js'
import { sharedPolling } from './polling.js'

/** The league ranks over a rolling window of this many days. */
export const LEAGUE_DAYS = 30
const REFRESH_MS = 30_000

export type LeagueBy = 'department' | 'street'

/** The league table (红黑榜) of the live scope, by department or street, refreshed on a timer while shown. */
export const useLeagueStore = defineStore('league', () => {
  const live = useLiveStore()
  const by = ref<LeagueBy>('department')
  const rows = shallowRef<LeagueRow[] | null>(null)
  const error = ref<string | null>(null)
  /** The server shed the last request (busy): asked again after its Retry-After; the rows shown are kept. */
  const busy = ref(false)

  async function load(): Promise<void> {
    const url = `/api/v1/league?scope=${encodeURIComponent(live.scope)}&by=${by.value}&days=${LEAGUE_DAYS}`
    try {
      const res = await getJson<{ rows: LeagueRow[] }>(url)
      rows.value = res.rows
      error.value = null
      busy.value = false
    } catch (err) {
      busy.value = polling.retryAfter(err)
      error.value = busy.value ? null : (err as Error).message
    }
  }

  const polling = sharedPolling(load, REFRESH_MS)
  // another grouping or scope: the old rows are not this table's
  watch([by, () => live.scope], () => {
    rows.value = null
    if (polling.active) void load()
  })

  return { by, rows, error, busy, start: polling.start, stop: polling.stop }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useLeagueStore, import.meta.hot))
