import { describe, expect, it } from 'vitest'
import type { Alarm, AlarmKind } from '../../shared/alarms.js'
import { alarmsToMark, MAX_ALARM_MARKERS } from '../../client/map/alarms-to-mark.js'

const alarm = (id: number, kind: AlarmKind): Alarm => ({
  id, kind, incidentId: `i${id}`, category: '0101', community: 'c', street: 's', district: 'd', lon: 104, lat: 30.6, count: 1, raisedAt: new Date(id * 1000).toISOString(),
})

describe('alarmsToMark (the map marks at most MAX_ALARM_MARKERS alarms)', () => {
  it('marks every alarm while they are few', () => {
    const open = [alarm(1, 'overdue'), alarm(2, 'critical')]
    expect(alarmsToMark(open).map(a => a.id)).toEqual([1, 2])
  })

  it('keeps the urgent kinds and the newest when a flood of overdue alarms would carpet the map', () => {
    const overdue = Array.from({ length: 800 }, (_, k) => alarm(k + 1, 'overdue'))
    const open = [...overdue, alarm(900, 'device_offline'), alarm(901, 'critical'), alarm(902, 'burst'), alarm(850, 'critical')].sort((a, b) => a.id - b.id)
    const marked = alarmsToMark(open)
    expect(marked).toHaveLength(MAX_ALARM_MARKERS)
    // criticals (newest first), then the burst, the device, then the newest overdue ones
    expect(marked.slice(0, 4).map(a => a.id)).toEqual([901, 850, 902, 900])
    expect(marked.slice(4).map(a => a.id)).toEqual(Array.from({ length: MAX_ALARM_MARKERS - 4 }, (_, k) => 800 - k))
  })
})
