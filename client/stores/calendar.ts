import { acceptHMRUpdate, defineStore } from 'pinia'
import { shallowRef } from 'vue'
import type { CalendarWarning, HealthReport } from '../../shared/calendar.js'
import { getJson } from '../services/api.js'
import { sharedPolling } from './polling.js'

// An admin may reload the holiday files: re-checked now and then.
const RECHECK_MS = 10 * 60_000

/** The working calendar's warnings (years an official holiday schedule does not cover yet), from /api/v1/health. */
export const useCalendarStore = defineStore('calendar', () => {
  const warnings = shallowRef<CalendarWarning[]>([])

  async function check(): Promise<void> {
    try {
      warnings.value = (await getJson<HealthReport>('/api/v1/health')).calendar?.warnings ?? []
    } catch {
      // the connection banner reports an unreachable server; this one keeps what it last knew
    }
  }

  const polling = sharedPolling(check, RECHECK_MS)
  return { warnings, start: polling.start, stop: polling.stop }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useCalendarStore, import.meta.hot))
