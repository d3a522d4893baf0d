import type { Location } from '../../../shared/incident.js'
import type { FootfallResult } from '../../greenway/footfall-service.js'
import type { IngestFn } from '../../ingest/ingest-service.js'
import type { Logger } from '../../log.js'
import type { DeviceRepository } from '../../store/repository.js'
import { createDeviceRegistry, type DeviceRegistry } from './device-registry.js'
import { type EmbeddedBroker, startEmbeddedBroker } from './embedded-broker.js'
import { type ExternalSubscriber, startExternalSubscriber } from './external-subscriber.js'
import { groupCommit } from './group-commit.js'
import { createMessageHandler, type Message, type MqttCallbacks, type RejectReason } from './message-handler.js'

export type { MqttCallbacks, RejectReason } from './message-handler.js'

export interface MqttConfig {
  /** Embedded broker's port (0: any free one); unused with `url`. */
  readonly port: number
  readonly host: string
  /** An external broker to subscribe to instead of running one (MQTT_URL), or null. */
  readonly url: string | null
  /** The server's client id on an external broker: fixed, so its persistent session survives restarts. */
  readonly clientId: string
}

export interface MqttSourceDeps extends MqttCallbacks {
  config: MqttConfig
  cityCode: string
  repo: DeviceRepository
  /** The shared ingest path (the same function as POST /api/v1/events). */
  ingest: IngestFn
  footfall?: (readings: unknown[]) => Promise<FootfallResult[]>
  locate: (lon: number, lat: number) => Location | null
  now: () => number
  log: Logger
}

export interface MqttSource {
  readonly devices: DeviceRegistry
  /** Starts the embedded broker or the external subscription. Never throws for a taken port or an absent broker. */
  listen: () => Promise<void>
  /** The embedded broker's bound port (null: external broker, not started, or its port was taken). */
  port: () => number | null
  /** Resolves when messages can flow: the broker listens, or the external subscription is in place. */
  ready: () => Promise<void>
  /** Dropped messages so far: device → reason → count. */
  rejects: () => Record<string, Partial<Record<RejectReason, number>>>
  /** Stops taking messages and waits for those in hand to be committed. */
  close: () => Promise<void>
}

/** MQTT devices (issue #15): the registry, the message handler and either the embedded broker or an external one. */
export function createMqttSource(deps: MqttSourceDeps): MqttSource {
  const devices = createDeviceRegistry(deps.repo, deps.now)
  const rejects: Record<string, Partial<Record<RejectReason, number>>> = Object.create(null) as Record<string, Partial<Record<RejectReason, number>>>
  const onRejected = (id: string, reason: RejectReason, detail: string) => {
    const byReason = rejects[id] ??= {}
    byReason[reason] = (byReason[reason] ?? 0) + 1
    deps.log.debug('mqtt: message dropped', { device: id, reason, detail })
    deps.onRejected?.(id, reason, detail)
  }
  const handler = createMessageHandler({
    cityCode: deps.cityCode,
    devices,
    ingest: groupCommit(deps.ingest),
    ...(deps.footfall && { footfall: deps.footfall }),
    locate: deps.locate,
    now: deps.now,
    saveExcursions: (id, ex) => deps.repo.setDeviceExcursions(id, ex),
    ...(deps.onAccepted && { onAccepted: deps.onAccepted }),
    onRejected,
    ...(deps.onStatus && { onStatus: deps.onStatus }),
  })
  // messages in hand: close waits for them so nothing is cut off between commit and the store closing
  const inFlight = new Set<Promise<unknown>>()
  const handle = (msg: Message) => {
    const p = handler(msg)
    inFlight.add(p)
    void p.finally(() => inFlight.delete(p)).catch(() => {})
    return p
  }
  let embedded: EmbeddedBroker | null = null
  let external: ExternalSubscriber | null = null
  let started: Promise<void> = Promise.resolve()

  return {
    devices,
    listen() {
      if (deps.config.url) {
        external = startExternalSubscriber({ url: deps.config.url, clientId: deps.config.clientId, cityCode: deps.cityCode, handle, log: deps.log })
        started = external.ready
        return Promise.resolve()
      }
      started = startEmbeddedBroker(deps.config.port, deps.config.host, { cityCode: deps.cityCode, devices, handle, log: deps.log, onRejected })
        .then((b) => {
          embedded = b
          if (b) deps.log.info('mqtt: embedded broker listening', { port: b.port })
        })
      return started
    },
    port: () => embedded?.port ?? null,
    ready: () => started,
    rejects: () => structuredClone(rejects),
    async close() {
      await started.catch(() => {})
      await embedded?.close()
      if (external) {
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]) // their acks go out before the goodbye
        await external.close()
      }
      while (inFlight.size > 0) await Promise.allSettled([...inFlight])
      embedded = null
      external = null
    },
  }
}
