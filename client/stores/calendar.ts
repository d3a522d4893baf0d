import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref } from 'vue'
import type { CalendarWarning, HealthReport } from '../../shared/calendar.js'
import { getJson } from '../services/api.js'

/** The working calendar's warnings (an official holiday schedule missing for this year or the next), from /health. */
export const useCalendarStore = defineStore('calendar', () => {
  const warnings = ref<CalendarWarning[]>([])

  async function check(): Promise<void> {
    try {
      warnings.value = (await getJson<HealthReport>('/api/v1/health')).calendar?.warnings ?? []
    } catch {
      // the connection banner reports an unreachable server; this store keeps what it last knew
    }
  }

  return { warnings, check }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useCalendarStore, import.meta.hot))
