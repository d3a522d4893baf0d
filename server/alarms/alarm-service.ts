import type { Alarm, AlarmKind, BurstRule } from '../../shared/alarms.js'
import type { Incident } from '../../shared/incident.js'
import type { EventBus } from '../events/bus.js'
import type { DevicePlace } from '../events/domain-events.js'
import type { Logger } from '../log.js'
import type { AlarmAckOutcome, AlarmRepository, NewAlarm } from '../store/repository.js'
import { BurstDetector } from './burst-detector.js'

export interface AlarmServiceDeps {
  repo: AlarmRepository
  /** Told `alarm.raised`, `alarm.acknowledged` and `alarm.resolved` after each commit (realtime pushes them). */
  events: Pick<EventBus, 'publish'>
  now: () => number
  log: Logger
  burst: BurstRule
  /** How often open cases are checked for a breached deadline. */
  overdueScanMs?: number
}

/** Where a device's outage is shown: its district/street rooms and a point to fly to. */
export type AlarmPlace = DevicePlace
export interface OutageAlarm { sourceId: string, sourceLabel: string, sinceMs: number, place: AlarmPlace }

/** Breaches raised per scan (every 10 s); a backlog drains over the next scans instead of one long write. */
const OVERDUE_BATCH = 500

/**
 * Raises alarms (critical case, deadline breach, burst, device offline), stores them once per key, publishes each
 * change (realtime pushes it to the scope rooms), and records who acknowledged each. Clients re-sync unacknowledged
 * alarms on every (re)subscribe, so none is lost across a reconnect.
 */
export function createAlarmService(deps: AlarmServiceDeps) {
  const bursts = new BurstDetector(deps.burst)
  let timer: NodeJS.Timeout | null = null
  let scanning: Promise<void> = Promise.resolve()

  function candidate(kind: AlarmKind, key: string, i: Incident, raisedAt: string, count = 1): NewAlarm {
    return { key, kind, incidentId: i.id, category: i.category, community: i.community, street: i.street, district: i.district, lon: i.lon, lat: i.lat, count, raisedAt }
  }

  /** Stores a batch in one commit, then publishes the alarms it stored (none for keys already raised). */
  async function raise(batch: NewAlarm[]): Promise<Alarm[]> {
    const stored = await deps.repo.raiseAlarms(batch)
    if (stored.length > 0) deps.events.publish('alarm.raised', { alarms: stored })
    return stored
  }

  /**
   * The alarms new reports raise (critical case, burst). Called by ingest inside the commit of the reports, so the
   * alarms are stored in the same transaction (ingest publishes them with the reports).
   */
  function candidatesFor(incidents: readonly Incident[]): NewAlarm[] {
    const raisedAt = new Date(deps.now()).toISOString()
    const batch: NewAlarm[] = []
    for (const i of incidents) {
      if (i.severity === 'critical') batch.push(candidate('critical', `critical:${i.id}`, i, raisedAt))
      const count = bursts.observe(i.category, i.community, Date.parse(i.reportedAt))
      if (count !== null) batch.push(candidate('burst', `burst:${i.category}:${i.community}:${i.reportedAt}`, i, raisedAt, count))
    }
    return batch
  }

  async function scanOverdue(): Promise<number> {
    const now = deps.now()
    bursts.sweep(now)
    const raisedAt = new Date(now).toISOString()
    const due = await deps.repo.overdueWithoutAlarm(raisedAt, OVERDUE_BATCH)
    return (await raise(due.map(i => candidate('overdue', `overdue:${i.id}:${i.deadline}`, i, raisedAt)))).length
  }

  /**
   * 设备离线: one alarm per outage (keyed by the source and the moment it began, so a repeated call or a restart
   * raises nothing twice), placed at the device's site or its scope's label point.
   */
  async function sourceOffline(o: OutageAlarm): Promise<Alarm | null> {
    const [stored] = await raise([{
      key: `device_offline:${o.sourceId}:${new Date(o.sinceMs).toISOString()}`, kind: 'device_offline', incidentId: null, category: '',
      ...o.place, count: 1, raisedAt: new Date(deps.now()).toISOString(), sourceId: o.sourceId, sourceLabel: o.sourceLabel,
    }])
    return stored ?? null
  }

  /** The device was heard again: its open outage alarms close themselves and leave every console. */
  async function sourceBack(sourceId: string): Promise<Alarm[]> {
    const resolved = await deps.repo.resolveSourceAlarms(sourceId, new Date(deps.now()).toISOString())
    if (resolved.length > 0) deps.events.publish('alarm.resolved', { alarms: resolved })
    return resolved
  }

  async function ack(id: number, actor: string): Promise<AlarmAckOutcome> {
    const outcome = await deps.repo.ackAlarm(id, actor, new Date(deps.now()).toISOString())
    if (outcome.kind === 'acked') deps.events.publish('alarm.acknowledged', { alarm: outcome.alarm })
    return outcome
  }

  return {
    candidatesFor,
    ack,
    sourceOffline,
    sourceBack,
    scanOverdue,
    open: (scope: Parameters<AlarmRepository['openAlarms']>[0], limit = 500) => deps.repo.openAlarms(scope, limit),
    start() {
      timer ??= setInterval(() => {
        scanning = scanning.then(scanOverdue).then(() => undefined, (err: unknown) => deps.log.error('overdue scan failed', { error: String(err) }))
      }, deps.overdueScanMs ?? 10_000)
    },
    async stop() {
      if (timer) clearInterval(timer)
      timer = null
      await scanning
    },
  }
}

export type AlarmService = ReturnType<typeof createAlarmService>
