import type { Alarm, AlarmKind } from '../../shared/alarms.js'

/**
 * At most this many alarms flash on the map. A city's backlog can hold hundreds of unacknowledged 超期 alarms at once
 * (882 after a day and a half of the simulator with nobody acknowledging); one DOM marker each carpeted the console's
 * map and hid both the incidents and the alarms that matter. The banner's list still holds every one.
 */
export const MAX_ALARM_MARKERS = 30

// what an operator must see first when not every alarm can be drawn: an emergency before a burst, a silent device
// before a case past its deadline (deadlines are also in the queue's countdowns)
const URGENCY: Record<AlarmKind, number> = { critical: 0, burst: 1, device_offline: 2, overdue: 3 }

/** The alarms that get a marker: the most urgent kinds first, newest first within a kind, at most `max`. */
export function alarmsToMark(open: readonly Alarm[], max = MAX_ALARM_MARKERS): Alarm[] {
  if (open.length <= max) return [...open]
  return [...open].sort((a, b) => URGENCY[a.kind] - URGENCY[b.kind] || b.id - a.id).slice(0, max)
}
