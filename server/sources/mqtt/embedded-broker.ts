import { type AddressInfo, createServer, type Server, type Socket } from 'node:net'
import { Aedes, type AuthenticateError, type Client } from 'aedes'
import type { Logger } from '../../log.js'
import type { DeviceRegistry } from './device-registry.js'
import type { MessageHandler, MqttCallbacks } from './message-handler.js'
import { mayDeviceSubscribe } from './topics.js'

export interface EmbeddedBrokerDeps {
  cityCode: string
  devices: DeviceRegistry
  handle: MessageHandler
  log: Logger
  onRejected?: MqttCallbacks['onRejected']
}

export interface EmbeddedBroker {
  readonly port: number
  /** Closes the listener, every client connection and the broker; resolves when all are gone. */
  close: () => Promise<void>
}

const BAD_USERNAME_OR_PASSWORD = 4

/**
 * The embedded MQTT broker (aedes) on a TCP port: devices log in with their id and password and publish under
 * their own prefix only. The PUBACK of a QoS 1 publish follows `authorizePublish`'s callback (aedes writes it in
 * `enqueuePublish`, after the authorize step), and that callback is called only once the message is handled —
 * stored and committed — so an acknowledged event is on disk. A store failure closes the connection unacknowledged
 * (the device sends it again); a malformed message is acknowledged and dropped; a publish under another device's
 * prefix, or by a device disabled since it logged in, closes the connection (MQTT 3.1.1 §3.3.5: the server may not
 * tell a client why); the disabled one cannot log in again.
 * Resolves to null (after one log line) when the port is taken: the rest of the server goes on without it.
 */
export async function startEmbeddedBroker(port: number, host: string, deps: EmbeddedBrokerDeps): Promise<EmbeddedBroker | null> {
  const deviceOf = new WeakMap<Client, string>()
  const broker = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      const id = username ?? ''
      deps.devices.authenticate(id, password?.toString('utf8') ?? '').then((device) => {
        if (device) {
          deviceOf.set(client, device.id)
          return done(null, true)
        }
        deps.onRejected?.(id || '?', 'bad-credentials', 'username/password: not a registered, enabled device with this password')
        const err = Object.assign(new Error('bad username or password'), { returnCode: BAD_USERNAME_OR_PASSWORD }) as AuthenticateError
        done(err, null)
      }, (err: unknown) => done(Object.assign(new Error(String(err)), { returnCode: 3 }) as AuthenticateError, null))
    },
    authorizePublish(client, packet, done) {
      const authenticated = client ? deviceOf.get(client) ?? null : null
      deps.handle({ topic: packet.topic, payload: Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload), authenticated })
        .then(reason => done(reason === 'not-own-topic' || reason === 'unknown-device' ? new Error(`not authorized: ${packet.topic}`) : null), (err: unknown) => {
          deps.log.error('mqtt: a message could not be stored; left unacknowledged', { topic: packet.topic, error: String(err) })
          done(err instanceof Error ? err : new Error(String(err)))
        })
    },
    authorizeSubscribe(client, sub, done) {
      const id = deviceOf.get(client)
      done(null, id && mayDeviceSubscribe(deps.cityCode, id, sub.topic) ? sub : null)
    },
  })
  const server: Server = createServer(broker.handle)
  const sockets = new Set<Socket>()
  server.on('connection', (s) => {
    sockets.add(s)
    s.once('close', () => sockets.delete(s))
  })
  const bound = await new Promise<number | null>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' || err.code === 'EACCES' ? resolve(null) : reject(err)))
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port))
  })
  if (bound === null) {
    deps.log.warn(`mqtt: port ${port} is taken (another MQTT broker?): the embedded broker is off, HTTP serves on — set MQTT_PORT to a free port, or MQTT_URL to use that broker`, { port })
    await new Promise<void>(resolve => broker.close(() => resolve()))
    return null
  }
  server.on('error', (err) => { deps.log.error('mqtt: embedded broker listener error', { error: String(err) }) })
  return {
    port: bound,
    async close() {
      const closed = new Promise<void>(resolve => server.close(() => resolve()))
      await new Promise<void>(resolve => broker.close(() => resolve()))
      for (const s of sockets) s.destroy()
      await closed
    },
  }
}
