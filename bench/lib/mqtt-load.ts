import { fork } from 'node:child_process'
import mqtt, { type MqttClient } from 'mqtt'

/** A registered device the load logs in as. */
export interface BenchDevice { id: string, password: string }

export interface MqttTarget { url: string, cityCode: string, devices: BenchDevice[], points: [number, number][] }

const topicOf = (t: MqttTarget, id: string) => `city/${t.cityCode}/device/${id}/event`

/** The publish time travels in the message id (`<tag>-<seq>-<ms>`): the incident id is `mqtt:<device>:<message id>`. */
export const sentAtOf = (id: string): number => Number(id.slice(id.lastIndexOf('-') + 1))

/** Logins are checked with scrypt (deliberately slow): a few at a time, so none times out on a busy machine. */
export async function connectAll(t: MqttTarget, concurrency = 4): Promise<MqttClient[]> {
  const clients: MqttClient[] = new Array(t.devices.length)
  let next = 0
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < t.devices.length) {
      const k = next++
      const d = t.devices[k]!
      clients[k] = await mqtt.connectAsync(t.url, { username: d.id, password: d.password, reconnectPeriod: 0, connectTimeout: 60_000 })
    }
  }))
  return clients
}

/**
 * The broker's own limit, in the same run: one more connection per device (the broker lets a device subscribe
 * under its own prefix only), recording when each `<tag>` message arrives.
 */
export async function subscribeRaw(t: MqttTarget, tag: string): Promise<{ received: Map<string, number>, close: () => Promise<void> }> {
  const received = new Map<string, number>()
  const clients = await connectAll(t)
  await Promise.all(clients.map((c, k) => c.subscribeAsync(topicOf(t, t.devices[k]!.id), { qos: 0 })))
  for (const c of clients) {
    c.on('message', (_topic, payload) => {
      const at = Date.now()
      const id = (JSON.parse(payload.toString('utf8')) as { id: string }).id
      if (id.startsWith(tag) && !received.has(id)) received.set(id, at)
    })
  }
  return { received, close: async () => { await Promise.all(clients.map(c => c.endAsync(true))) } }
}

/**
 * `rate` messages a second (QoS 1) for `seconds`, spread over the devices' connections in 10 ms ticks, each
 * stamped with its publish time. Resolves once every PUBACK is in (or `ackWaitMs` passed) with what was sent.
 */
export async function publishAtRate(t: MqttTarget, clients: MqttClient[], tag: string, rate: number, seconds: number, ackWaitMs = 15_000): Promise<{ sent: number, acked: number }> {
  const TICK = 10
  const total = Math.round(rate * seconds)
  let sent = 0
  let acked = 0
  const t0 = performance.now()
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.round(((performance.now() - t0) / 1000) * rate))
      while (sent < due) {
        const k = sent % clients.length
        const [lon, lat] = t.points[sent % t.points.length]!
        const id = `${tag}-${sent}-${Date.now()}`
        clients[k]!.publish(topicOf(t, t.devices[k]!.id), JSON.stringify({ id, category: '0406', severity: 'normal', lon, lat, description: 'bench' }), { qos: 1 }, (err) => { if (!err) acked++ })
        sent++
      }
      if (sent >= total) {
        clearInterval(timer)
        resolve()
      }
    }, TICK)
  })
  const until = Date.now() + ackWaitMs
  while (acked < sent && Date.now() < until) await new Promise(r => setTimeout(r, 50))
  return { sent, acked }
}

/**
 * Sustained QoS 1 ingest: every connection keeps `window` publishes awaiting their PUBACK (sent after commit) for
 * `seconds`; the rate is PUBACKs per second.
 */
export async function sustainedQos1(t: MqttTarget, clients: MqttClient[], tag: string, seconds: number, window = 64): Promise<number> {
  let acked = 0
  let seq = 0
  let running = true
  const t0 = performance.now()
  let stoppedAt = t0
  await Promise.all(clients.map((c, k) => new Promise<void>((resolve) => {
    let inFlight = 0
    const pump = () => {
      while (running && inFlight < window) {
        const [lon, lat] = t.points[seq % t.points.length]!
        const id = `${tag}-${seq++}-${Date.now()}`
        inFlight++
        c.publish(topicOf(t, t.devices[k]!.id), JSON.stringify({ id, category: '0406', lon, lat }), { qos: 1 }, (err) => {
          inFlight--
          if (!err && running) acked++
          if (!running && inFlight === 0) resolve()
          else pump()
        })
      }
    }
    pump()
  })).concat(new Promise<void>(resolve => setTimeout(() => {
    running = false
    stoppedAt = performance.now()
    resolve()
  }, seconds * 1000))))
  return acked / ((stoppedAt - t0) / 1000)
}

/** `subscribeRaw` in a child process (bench/lib/raw-subscriber-process.ts): its clock is the same OS clock. */
export async function rawSubscriber(t: MqttTarget, tag: string): Promise<{ stop: () => Promise<Map<string, number>> }> {
  const child = fork(new URL('./raw-subscriber-process.ts', import.meta.url).pathname, { execArgv: ['--import', 'tsx'] })
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve())
    child.once('exit', code => reject(new Error(`raw subscriber exited (${code})`)))
    child.send({ target: t, tag })
  })
  return {
    stop: () => new Promise((resolve) => {
      child.once('message', (pairs: [string, number][]) => resolve(new Map(pairs)))
      child.send('stop')
    }),
  }
}
