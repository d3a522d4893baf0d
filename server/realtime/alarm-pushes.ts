import type { Alarm, AlarmAck, AlarmResolved } from '../../shared/alarms.js'
import { alarmRoom, type Scope } from '../../shared/scope.js'
import type { EventBus } from '../events/bus.js'
import type { IoServer } from './types.js'

/** The rooms that may see an alarm: the alarm rooms of the city, its district and its street (walls are in none). */
function roomsOf(a: { district: string, street: string }): string[] {
  return (['city', `district:${a.district}`, `street:${a.street}`] as Scope[]).map(alarmRoom)
}

/** What a room is owed at the next push, in the order it happened within each kind. */
interface Owed { raised: Alarm[], acked: AlarmAck[], resolved: AlarmResolved[] }

/**
 * `alarm:raised` / `alarm:acked` / `alarm:resolved` to the rooms of each alarm's place, batched: at most one push of
 * each kind per room every `intervalMs`, the first within `intervalMs` of the alarm. One emit per alarm cost one
 * write per socket per alarm — at 2,000 reports a second with a critical share, the main thread did nothing but
 * those writes (36,000 in 3 s under strace) and stopped accepting connections (session f, docs/BENCHMARKS.md).
 * A socket in two rooms of a place hears of an alarm twice; consoles keep alarms by id.
 */
export function subscribeAlarmPushes(bus: Pick<EventBus, 'subscribe'>, io: IoServer, intervalMs: number) {
  const owed = new Map<string, Owed>()
  let timer: NodeJS.Timeout | null = null

  function owe<K extends keyof Owed>(place: { district: string, street: string }, kind: K, item: Owed[K][number]): void {
    for (const room of roomsOf(place)) {
      let o = owed.get(room)
      if (!o) owed.set(room, o = { raised: [], acked: [], resolved: [] })
      ;(o[kind] as Owed[K][number][]).push(item)
    }
    timer ??= setTimeout(flush, intervalMs)
  }

  function flush(): void {
    timer = null
    for (const [room, o] of owed) {
      const to = io.to(room)
      // raised before acked and resolved: an alarm raised and acknowledged within one interval ends up gone
      if (o.raised.length > 0) to.emit('alarm:raised', o.raised)
      if (o.acked.length > 0) to.emit('alarm:acked', o.acked)
      if (o.resolved.length > 0) to.emit('alarm:resolved', o.resolved)
    }
    owed.clear()
  }

  bus.subscribe('alarm.raised', 'realtime:alarms', ({ alarms }) => {
    for (const alarm of alarms) owe(alarm, 'raised', alarm)
  })
  bus.subscribe('alarm.acknowledged', 'realtime:alarms', ({ alarm: a }) => {
    owe(a, 'acked', { id: a.id, ackedBy: a.ackedBy!, ackedAt: a.ackedAt! })
  })
  bus.subscribe('alarm.resolved', 'realtime:alarms', ({ alarms }) => {
    for (const a of alarms) owe(a, 'resolved', { id: a.id, resolvedAt: a.resolvedAt! })
  })
  return {
    /** Drops what is owed (the server is closing). */
    stop(): void {
      if (timer) clearTimeout(timer)
      timer = null
      owed.clear()
    },
  }
}
