/**
 * Alarms an operator must not miss (issue #3): a critical case, a deadline breach (超期), or a burst of one category
 * in one community. Raised once per key, kept until an operator acknowledges them (who and when are stored).
 */
export const ALARM_KINDS = ['critical', 'overdue', 'burst'] as const
export type AlarmKind = typeof ALARM_KINDS[number]

export interface Alarm {
  id: number
  kind: AlarmKind
  /** The case that raised it (for a burst: the latest report of the burst). */
  incidentId: string | null
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
}

export interface AlarmAck { id: number, ackedBy: string, ackedAt: string }

/** Burst rule: more than `threshold` reports of one category in one community within `windowMinutes`. */
export interface BurstRule { threshold: number, windowMinutes: number }
export const DEFAULT_BURST_RULE: BurstRule = { threshold: 5, windowMinutes: 30 }
