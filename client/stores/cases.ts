import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { ActResult } from '../../shared/events.js'
import type { CaseEvent, Incident, IncidentSummary } from '../../shared/incident.js'
import type { CaseAction } from '../../shared/workflow/transitions.js'
import { getJson } from '../services/api.js'
import { socket } from '../services/socket.js'
import { useLiveStore } from './live.js'

export interface ActExtra { reason?: string, note?: string, department?: string, deadline?: string, into?: string, evidence?: string, photoUrl?: string }

/** The case an operator has open: its detail, audit trail, and the actions taken on it (over the socket, with ack). */
export const useCasesStore = defineStore('cases', () => {
  const selectedId = ref<string | null>(null)
  const detail = shallowRef<Incident | null>(null)
  const events = shallowRef<CaseEvent[]>([])
  /** Reports merged into the open case (counted once, in it). */
  const merged = shallowRef<IncidentSummary[]>([])
  const busy = ref(false)
  const message = ref<{ kind: 'error' | 'info', text: string } | null>(null)
  const live = useLiveStore()

  async function refresh(id: string): Promise<void> {
    const path = `/api/v1/incidents/${encodeURIComponent(id)}`
    const [incident, trail, linked] = await Promise.all([getJson<Incident>(path), getJson<CaseEvent[]>(`${path}/events`), getJson<IncidentSummary[]>(`${path}/merged`)])
    if (selectedId.value !== id) return
    detail.value = incident
    events.value = trail
    merged.value = linked
  }

  async function select(id: string | null): Promise<void> {
    selectedId.value = id
    message.value = null
    detail.value = null
    events.value = []
    merged.value = []
    if (id) await refresh(id).catch((err: Error) => { message.value = { kind: 'error', text: err.message } })
  }

  /** Acts on the open case at the version on screen; a stale or illegal action shows the fresh case and why. */
  async function act(action: CaseAction, extra: ActExtra = {}): Promise<boolean> {
    const current = detail.value
    if (!current || busy.value) return false
    busy.value = true
    message.value = null
    try {
      const res: ActResult = await socket.timeout(10_000).emitWithAck('incident:act', { id: current.id, action, version: current.version, ...extra })
      if (!res.ok) message.value = { kind: 'error', text: res.details?.map(d => d.message).join('; ') || res.error }
      await refresh(current.id)
      return res.ok
    } catch (err) {
      message.value = { kind: 'error', text: (err as Error).message }
      return false
    } finally {
      busy.value = false
    }
  }

  // Another operator (or the simulator) changed the open case: show it at once, then fetch its trail.
  live.listen(({ diff }) => {
    const d = detail.value
    const id = selectedId.value
    if (!d || !id) return
    const changed = diff.updated.find(i => i.id === id) ?? diff.added.find(i => i.id === id)
    if (changed && changed.version > d.version) {
      const next = { ...d, status: changed.status, version: changed.version, department: changed.department, deadline: changed.deadline, duplicateOf: changed.duplicateOf }
      // the summary says whether a request is pending: until the refresh lands, never show an answered one
      if (!changed.postponeRequested) delete next.postponeRequest
      detail.value = next
      void refresh(id).catch(() => undefined)
    }
  })

  return { selectedId, detail, events, merged, busy, message, select, act }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useCasesStore, import.meta.hot))
