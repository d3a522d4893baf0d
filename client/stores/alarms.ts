import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { Alarm, AlarmAck, AlarmResolved } from '../../shared/alarms.js'
import { playAlarmTone } from '../services/alarm-tone.js'
import { socket } from '../services/socket.js'
import { useLiveStore } from './live.js'

const MUTE_KEY = 'citybrain.alarms.muted'

/**
 * Unacknowledged alarms of the live scope. Re-synced from the server after every (re)subscribe, so an alarm raised
 * while the connection was down is still shown; pushes add and remove alarms between syncs.
 */
export const useAlarmsStore = defineStore('alarms', () => {
  const live = useLiveStore()
  const open = shallowRef<Alarm[]>([])
  const muted = ref(localStorage.getItem(MUTE_KEY) === '1')
  const error = ref<string | null>(null)
  const bound = ref(false)
  const newest = computed(() => open.value.at(-1) ?? null)

  function take(list: Alarm[]): void {
    open.value = list.sort((a, b) => a.id - b.id)
  }

  async function sync(): Promise<void> {
    const res = await socket.timeout(10_000).emitWithAck('alarm:list', { scope: live.scope }).catch((err: Error) => ({ ok: false as const, error: err.message }))
    if (!res.ok) {
      error.value = res.error
      return
    }
    error.value = null
    const before = new Set(open.value.map(a => a.id))
    take(res.data)
    if (res.data.some((a: Alarm) => !before.has(a.id))) ring()
  }

  // pushes come in batches (several rooms of a place may carry the same alarm): one merge and one tone per batch
  function onRaised(alarms: Alarm[]): void {
    const held = new Set(open.value.map(a => a.id))
    const fresh = alarms.filter(a => !held.has(a.id) && held.add(a.id))
    if (fresh.length === 0) return
    take([...open.value, ...fresh])
    ring()
  }

  function onAcked(acks: (AlarmAck | AlarmResolved)[]): void {
    const gone = new Set(acks.map(a => a.id))
    open.value = open.value.filter(a => !gone.has(a.id))
  }

  function ring(): void {
    if (!muted.value) playAlarmTone()
  }

  /** The server records the logged-in user as the one who acknowledged. */
  async function acknowledge(id: number): Promise<boolean> {
    const res = await socket.timeout(10_000).emitWithAck('alarm:ack', { id }).catch((err: Error) => ({ ok: false as const, error: err.message }))
    if (!res.ok) {
      error.value = res.error
      return false
    }
    onAcked([{ id, ackedBy: res.data.ackedBy ?? '', ackedAt: res.data.ackedAt ?? '' }])
    return true
  }

  function toggleMute(): void {
    muted.value = !muted.value
    localStorage.setItem(MUTE_KEY, muted.value ? '1' : '0')
  }

  function start(): void {
    if (bound.value) return
    socket.on('alarm:raised', onRaised)
    socket.on('alarm:acked', onAcked)
    socket.on('alarm:resolved', onAcked) // a device heard again: its 设备离线 alarm closed itself
    bound.value = true
  }

  function stop(): void {
    socket.off('alarm:raised', onRaised)
    socket.off('alarm:acked', onAcked)
    socket.off('alarm:resolved', onAcked)
    bound.value = false
  }

  watch(() => live.subscriptions, () => { if (bound.value) void sync() })

  return { open, newest, muted, error, start, stop, sync, acknowledge, toggleMute }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useAlarmsStore, import.meta.hot))
