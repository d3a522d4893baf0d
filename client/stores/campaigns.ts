import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { CampaignProgress } from '../../shared/campaigns/types.js'
import { getJson } from '../services/api.js'

/** A list row of GET /api/v1/campaigns (progress without breakdown and daily series). */
export type CampaignSummary = Omit<CampaignProgress, 'breakdown' | 'daily'>

/** Campaign progress changes with cases closing: a minute is fresh enough for a wall or an analyst. */
const REFRESH_MS = 60_000

/**
 * Campaigns (专项行动): the list with progress (optionally for one scope: a district wall), refreshed every minute
 * while anything uses it (start/stop are counted), and the detail of one campaign for /analysis.
 */
export const useCampaignsStore = defineStore('campaigns', () => {
  const list = shallowRef<CampaignSummary[] | null>(null)
  const detail = shallowRef<CampaignProgress | null>(null)
  const error = ref<string | null>(null)
  const detailError = ref<string | null>(null)
  const detailLoading = ref(false)
  let scope: string | null = null
  let users = 0
  let timer: ReturnType<typeof setInterval> | null = null

  const loading = computed(() => list.value === null && error.value === null)

  async function refresh(): Promise<void> {
    try {
      const res = await getJson<{ campaigns: CampaignSummary[] }>(`/api/v1/campaigns${scope ? `?scope=${encodeURIComponent(scope)}` : ''}`)
      list.value = res.campaigns
      error.value = null
    } catch (err) {
      error.value = (err as Error).message
    }
  }

  async function select(id: string): Promise<void> {
    if (detail.value?.campaign.id !== id) detail.value = null
    detailLoading.value = true
    try {
      detail.value = await getJson<CampaignProgress>(`/api/v1/campaigns/${encodeURIComponent(id)}`)
      detailError.value = null
    } catch (err) {
      detailError.value = (err as Error).message
    } finally {
      detailLoading.value = false
    }
  }

  function start(forScope: string | null = null): void {
    users += 1
    if (users > 1) return
    scope = forScope
    void refresh()
    timer = setInterval(() => {
      void refresh()
      if (detail.value) void select(detail.value.campaign.id)
    }, REFRESH_MS)
  }

  function stop(): void {
    users = Math.max(0, users - 1)
    if (users > 0 || timer === null) return
    clearInterval(timer)
    timer = null
  }

  return { list, detail, error, detailError, detailLoading, loading, refresh, select, start, stop }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useCampaignsStore, import.meta.hot))
