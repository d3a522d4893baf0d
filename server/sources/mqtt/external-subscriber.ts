import mqtt from 'mqtt'
import type { Logger } from '../../log.js'
import type { MessageHandler } from './message-handler.js'
import { allDevicesFilter } from './topics.js'

export interface ExternalSubscriberDeps {
  url: string
  clientId: string
  cityCode: string
  handle: MessageHandler
  log: Logger
}

export interface ExternalSubscriber {
  /** Resolves once connected and subscribed (the broker then delivers what it queued for the session). */
  readonly ready: Promise<void>
  close: () => Promise<void>
}

/**
 * The server as a client of the city's own broker (MQTT_URL): a persistent session (clean: false, a fixed client id)
 * with a QoS 1 subscription to every device's topics, so the broker queues what arrives while the server is down.
 * The PUBACK of each message is sent after mqtt.js's `handleMessage` calls back, which happens after commit; the
 * incident id comes from the device and its message id, so a message delivered again after a restart is stored
 * once. Who may publish where is the broker's ACL (docs/API.md); here the topic's device must be registered.
 */
export function startExternalSubscriber(deps: ExternalSubscriberDeps): ExternalSubscriber {
  const client = mqtt.connect(deps.url, { clientId: deps.clientId, clean: false, protocolVersion: 4, reconnectPeriod: 1000, connectTimeout: 10_000 })
  client.handleMessage = (packet, callback) => {
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload
    deps.handle({ topic: packet.topic, payload, authenticated: null }).then(() => callback(), (err: unknown) => {
      // not acknowledged: a new connection makes the broker send it again (MQTT 3.1.1 resends only on reconnect)
      deps.log.error('mqtt: a message could not be stored; reconnecting to have it again', { topic: packet.topic, error: String(err) })
      callback(err instanceof Error ? err : new Error(String(err)))
      client.stream.destroy()
    })
  }
  let logged = false
  client.on('error', (err) => {
    if (!logged) deps.log.warn('mqtt: external broker error (retrying every second)', { url: redact(deps.url), error: err.message })
    logged = true
  })
  const ready = new Promise<void>((resolve) => {
    client.on('connect', () => {
      logged = false
      client.subscribe(allDevicesFilter(deps.cityCode), { qos: 1 }, (err) => {
        if (err) return deps.log.error('mqtt: subscription refused by the external broker', { error: err.message })
        deps.log.info('mqtt: subscribed on the external broker', { url: redact(deps.url), filter: allDevicesFilter(deps.cityCode), clientId: deps.clientId })
        resolve()
      })
    })
  })
  return {
    ready,
    close: () => client.endAsync(),
  }
}

function redact(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return url
  }
}
