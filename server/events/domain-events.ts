import type { Alarm } from '../../shared/alarms.js'
import type { Incident } from '../../shared/incident.js'
import type { CaseStatus } from '../../shared/workflow/states.js'

/** Who moved a case: a person's step reaches the other consoles at once; a machine's rides the regular batches. */
export type ActorKind = 'person' | 'machine'

/**
 * Every domain event, declared once: its type and its payload. Payloads are plain JSON (no Dates, Maps, class
 * instances or functions), so a transport between nodes (Redis Streams) can carry an envelope unchanged.
 * docs/ARCHITECTURE.md "Domain event bus" lists producers and consumers of each.
 */
export interface DomainEvents {
  /** A group commit stored new reports (in sequence order). */
  'report.stored': { incidents: Incident[] }
  /** A workflow step was committed: the case as it is now, the status it left, who acted and whether a person did. */
  'case.changed': { incident: Incident, from: CaseStatus, actor: string, actorKind: ActorKind }
  /** Alarms were stored (by the alarm service's own commit, or in the commit of the reports that raised them). */
  'alarm.raised': { alarms: Alarm[] }
  /** Someone acknowledged an alarm. */
  'alarm.acknowledged': { alarm: Alarm }
  /** Alarms closed themselves (a silent device was heard again). */
  'alarm.resolved': { alarms: Alarm[] }
  /**
   * A committed batch of greenway segment or facility changes moved the coverage, or the data files were reloaded:
   * the coverage model's version after it. What changed is drained from the greenway service by its one reader.
   */
  'greenway.changed': { version: number }
  /** New footfall readings entered the live window (the counts and crowding alarms are read from the footfall service). */
  'footfall.counted': { readings: number }
  /**
   * A registered device went offline (it said so, or was silent past its interval) or was heard again: once per
   * transition, in order. `at`: when (app clock, ms); `place`: its site, or its scope's label point.
   */
  'device.status': { sourceId: string, sourceLabel: string, online: boolean, at: number, place: DevicePlace }
}

export type DomainEventType = keyof DomainEvents

/** Where a device's outage is shown: its district/street rooms and a point to fly to. */
export interface DevicePlace { district: string, street: string, community: string, lon: number, lat: number }

/** Machine actors are namespaced (`system:dedupe`, `sim:department`, `key:…`, `device:…`); people are user names. */
export function actorKindOf(actor: string): ActorKind {
  return actor.includes(':') ? 'machine' : 'person'
}
