import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import type { AppDeps } from '../../server/app.js'
import type { AppConfig } from '../../server/config.js'
import type { NewDevice } from '../../server/sources/mqtt/device-registry.js'
import type { RejectReason } from '../../server/sources/mqtt/index.js'
import { type Running, startApp } from './harness.js'

/** What the MQTT source told the app through its callbacks, in order. */
export interface Heard {
  accepted: { device: string, n: number }[]
  rejected: { device: string, reason: RejectReason, detail: string }[]
  status: { device: string, online: boolean }[]
}

export interface MqttRunning extends Running {
  heard: Heard
  mqttUrl: string
  cityCode: string
  /** Registers a device and returns its password. */
  addDevice: (d: NewDevice) => Promise<string>
  /** Logs a device in over mqtt.js (no reconnects: a test sees each close). */
  connect: (username: string, password: string, opts?: IClientOptions) => Promise<MqttClient>
  topic: (device: string, channel: string) => string
}

export const mqttConfig = (overrides: Partial<AppConfig['mqtt']> = {}): Partial<AppConfig> =>
  ({ mqtt: { enabled: true, port: 0, host: '127.0.0.1', url: null, clientId: 'citybrain-test', ...overrides } })

/** The whole server with its embedded broker on a free port, and a record of the MQTT callbacks. */
export async function startMqttApp(config: Partial<AppConfig> = {}, deps: Partial<AppDeps> = {}, dataDir?: string): Promise<MqttRunning> {
  const heard: Heard = { accepted: [], rejected: [], status: [] }
  const running = await startApp({ ...mqttConfig(), ...config }, {
    ...deps,
    mqtt: {
      onAccepted: (device, n) => heard.accepted.push({ device, n }),
      onRejected: (device, reason, detail) => heard.rejected.push({ device, reason, detail }),
      onStatus: (device, online) => heard.status.push({ device, online }),
    },
  }, dataDir)
  const source = running.app.mqtt!
  await source.ready()
  const mqttUrl = `mqtt://127.0.0.1:${source.port()}`
  const cityCode = running.app.geo.info.code
  const clients: MqttClient[] = []
  return {
    ...running,
    heard,
    mqttUrl,
    cityCode,
    async addDevice(d) {
      return (await source.devices.add(d)).password
    },
    async connect(username, password, opts = {}) {
      const c = await mqtt.connectAsync(mqttUrl, { username, password, reconnectPeriod: 0, connectTimeout: 5000, ...opts })
      clients.push(c)
      return c
    },
    topic: (device, channel) => `city/${cityCode}/device/${device}/${channel}`,
    async stop(opts) {
      await Promise.all(clients.map(c => c.endAsync(true)))
      await running.stop(opts)
    },
  }
}

/** Polls until `check` holds (the thing happens asynchronously; no fixed sleeps), or fails after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!await check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 10))
  }
}

/** Resolves when the client's connection has closed. */
export function closed(c: MqttClient): Promise<void> {
  return c.disconnected || !c.connected ? Promise.resolve() : new Promise(resolve => c.once('close', () => resolve()))
}
