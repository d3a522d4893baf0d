/**
 * Alarms an operator must not miss (issue #3): a critical case, a deadline breach (超期), a burst of one category
 * in one community, or a device gone offline (设备离线, issue #15: silent past its expected interval, or its last
 * will). Raised once per key, kept until an operator acknowledges them (who and when are stored) — or, for a
 * device, until it is heard from again (`resolvedAt`).
 */
export const ALARM_KINDS = ['critical', 'overdue', 'burst', 'device_offline'] as const
export type AlarmKind = typeof ALARM_KINDS[number]

export interface Alarm {
  id: number
  kind: AlarmKind
  /** The case that raised it (for a burst: the latest report of the burst); null for a device. */
  incidentId: string | null
  /** The case's category; '' for a device. */
  category: string
  community: string
  street: string
  district: string
  lon: number
  lat: number
  /** Reports in the burst; 1 otherwise. */
  count: number
  raisedAt: string
  ackedBy?: string
  ackedAt?: string
  /** device_offline: the source (`device:<deviceId>`, as in GET /api/v1/sources) and its name for people. */
  sourceId?: string
  sourceLabel?: string
  /** device_offline: when the device was heard from again (the alarm closes itself). */
  resolvedAt?: string
}

export interface AlarmAck { id: number, ackedBy: string, ackedAt: string }
export interface AlarmResolved { id: number, resolvedAt: string }

/** Burst rule: more than `threshold` reports of one category in one community within `windowMinutes`. */
export interface BurstRule { threshold: number, windowMinutes: number }
export const DEFAULT_BURST_RULE: BurstRule = { threshold: 5, windowMinutes: 30 }
