import type { Alarm } from '../../../shared/alarms.js'
import type { Incident } from '../../../shared/incident.js'
import type { ParsedScope } from '../../../shared/scope.js'

export interface NewAlarm extends Omit<Alarm, 'id' | 'ackedBy' | 'ackedAt' | 'resolvedAt'> {
  /** Raised at most once per key (e.g. "overdue:<id>"), across restarts. */
  key: string
}

export type AlarmAckOutcome = { kind: 'acked', alarm: Alarm } | { kind: 'not-found' } | { kind: 'already', alarm: Alarm }

/** Alarms: raised once per key, acknowledged once, resolved when their source is heard again. */
export interface AlarmRepository {
  /** Stores alarms in one transaction, skipping keys raised before; returns those stored. */
  raiseAlarms: (alarms: readonly NewAlarm[]) => Promise<Alarm[]>
  ackAlarm: (id: number, actor: string, at: string) => Promise<AlarmAckOutcome>
  /** Unacknowledged alarms in scope, oldest first. */
  openAlarms: (scope: ParsedScope, limit: number) => Promise<Alarm[]>
  /** One alarm, acknowledged or not (access checks read its place). */
  getAlarm: (id: number) => Promise<Alarm | null>
  /** Closes every unresolved alarm of a source (its device was heard again); returns those closed. */
  resolveSourceAlarms: (sourceId: string, at: string) => Promise<Alarm[]>
  /**
   * Cases past their deadline while the department's clock runs (dispatched or postponed), with no alarm of key
   * `overdue:<id>:<deadline>` yet; earliest deadline first.
   */
  overdueWithoutAlarm: (nowIso: string, limit: number) => Promise<Incident[]>
}
