import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { SourcesResponse } from '../../shared/sources.js'
import { getJson } from '../services/api.js'
import { sharedPolling } from './polling.js'

/** How often the sources page asks again: the counters are in memory on the server, a poll is cheap. */
export const SOURCES_REFRESH_MS = 5_000

/** GET /api/v1/sources now and every few seconds while the page is open; the last good answer stays on error. */
export const useSourcesStore = defineStore('sources', () => {
  const data = shallowRef<SourcesResponse | null>(null)
  const error = ref<string | null>(null)
  const loading = ref(false)

  async function load(): Promise<void> {
    if (loading.value) return
    loading.value = true
    try {
      data.value = await getJson<SourcesResponse>('/api/v1/sources')
      error.value = null
    } catch (err) {
      error.value = (err as Error).message
    } finally {
      loading.value = false
    }
  }

  const polling = sharedPolling(load, SOURCES_REFRESH_MS)
  return { data, error, loading, load, start: polling.start, stop: polling.stop }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useSourcesStore, import.meta.hot))
