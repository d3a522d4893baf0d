import { type Scope, scopeRoom } from '../../shared/scope.js'
import type { EventBus } from '../events/bus.js'
import type { IoServer } from './types.js'

/** The rooms that may see an alarm: the city's, its district's and its street's. */
function roomsOf(a: { district: string, street: string }): string[] {
  return (['city', `district:${a.district}`, `street:${a.street}`] as Scope[]).map(scopeRoom)
}

/** `alarm:raised` / `alarm:acked` / `alarm:resolved` to the rooms of each alarm's place, as the alarm service commits them. */
export function subscribeAlarmPushes(bus: Pick<EventBus, 'subscribe'>, io: IoServer): void {
  bus.subscribe('alarm.raised', 'realtime:alarms', ({ alarms }) => {
    for (const alarm of alarms) io.to(roomsOf(alarm)).emit('alarm:raised', alarm)
  })
  bus.subscribe('alarm.acknowledged', 'realtime:alarms', ({ alarm: a }) => {
    io.to(roomsOf(a)).emit('alarm:acked', { id: a.id, ackedBy: a.ackedBy!, ackedAt: a.ackedAt! })
  })
  bus.subscribe('alarm.resolved', 'realtime:alarms', ({ alarms }) => {
    for (const a of alarms) io.to(roomsOf(a)).emit('alarm:resolved', { id: a.id, resolvedAt: a.resolvedAt! })
  })
}
