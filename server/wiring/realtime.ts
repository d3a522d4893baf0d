import { authorizeSockets } from '../realtime/socket-authorize.js'
import { authenticateSockets, sweepSockets } from '../realtime/authenticate-sockets.js'
import type { EventBus } from '../events/bus.js'
import type { Logger } from '../log.js'
import { subscribeAlarmPushes } from '../realtime/alarm-pushes.js'
import { DeltaPublisher, type PublisherOptions, subscribeDeltaPublisher } from '../realtime/delta-publisher.js'
import { createGreenwayPublisher, subscribeGreenwayPushes } from '../realtime/greenway-publisher.js'
import { registerGreenwayHandlers } from '../realtime/greenway-socket.js'
import { registerSubscriptionHandlers } from '../realtime/socket-server.js'
import type { IoServer } from '../realtime/types.js'
import type { Domain } from './domain.js'
import type { Stores } from './stores.js'

/** How often sockets re-check their sessions (catches revocations made by the CLI and expiries). */
const SESSION_SWEEP_MS = 30_000

/**
 * The realtime layer, the only one that talks to sockets: who connects (authenticate, authorize), what they may ask
 * (scope and greenway subscriptions, case actions, alarms), and the pushes each domain event becomes.
 */
export function connectRealtime(io: IoServer, bus: EventBus, stores: Stores, domain: Domain, publisherOptions: PublisherOptions, log: Logger) {
  const { feed, aggregates } = stores
  const { cases, alarms, greenway, places } = domain
  authenticateSockets(io, { sessions: domain.auth.sessions, displayLinks: domain.displayLinks })
  authorizeSockets(io, domain.access, err => log.error('socket access check failed', { error: String(err) }))
  const publisher = new DeltaPublisher(io, feed, aggregates, log, publisherOptions)
  registerSubscriptionHandlers(io, {
    cases,
    alarms,
    feed,
    publisher,
    unitExists: places.unitExists,
    districtOfStreet: places.districtOfStreet,
    maxCatchUp: publisherOptions.maxCatchUp,
  }, log)
  const greenwayPushes = createGreenwayPublisher(io, greenway.greenway, greenway.footfall)
  registerGreenwayHandlers(io, greenway.snapshot, log)

  subscribeDeltaPublisher(bus, publisher)
  const alarmPushes = subscribeAlarmPushes(bus, io, publisherOptions.intervalMs)
  subscribeGreenwayPushes(bus, greenwayPushes)
  let sessionSweep: NodeJS.Timeout | undefined
  return {
    publisher,
    sessionSweep: {
      start(): void {
        sessionSweep = setInterval(() => { void sweepSockets(io, domain.auth.sessions).catch((err: unknown) => log.error('session sweep failed', { error: String(err) })) }, SESSION_SWEEP_MS)
        sessionSweep.unref()
      },
      stop: () => clearInterval(sessionSweep),
    },
    start(): void {
      publisher.start()
      greenwayPushes.start()
    },
    stop(): void {
      greenwayPushes.stop()
      alarmPushes.stop()
      publisher.stop()
    },
  }
}

export type Realtime = ReturnType<typeof connectRealtime>
