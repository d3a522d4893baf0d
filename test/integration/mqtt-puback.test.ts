import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Logger } from '../../server/log.js'
import type { IncidentRepository } from '../../server/store/repository.js'
import { createSqliteRepository } from '../../server/store/sqlite/sqlite-repository.js'
import { api, pointIn, startApp } from './harness.js'
import { type MqttRunning, mqttConfig, startMqttApp, until } from './mqtt-harness.js'

/** The store, with a gate before each insert and a record of what was committed. */
function gatedRepo(dataDir: string) {
  const real = createSqliteRepository({ dataDir })
  const committed = new Set<string>()
  const state = { calls: 0, gate: Promise.resolve(), failNext: false }
  const repo: IncidentRepository = {
    ...real,
    async insertIncidents(rows, receivedAt) {
      state.calls++
      await state.gate
      if (state.failNext) {
        state.failNext = false
        throw new Error('disk full (test)')
      }
      const out = await real.insertIncidents(rows, receivedAt)
      for (const i of out.stored) committed.add(i.id)
      return out
    },
  }
  return { repo, committed, state }
}

let s: MqttRunning
let store: ReturnType<typeof gatedRepo>
let password: string
beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'citybrain-it-'))
  store = gatedRepo(dir)
  s = await startMqttApp({}, { repo: store.repo }, dir)
  password = await s.addDevice({ id: 'cam-q', kind: 'camera', scope: 'city', ...pointIn(s.app, '510104') })
})
afterAll(async () => { await s.stop() })

const event = (id: string) => JSON.stringify({ id, category: '0505' })

describe('QoS 1 on the embedded broker', () => {
  it('sends the PUBACK only after the event is committed', async () => {
    const c = await s.connect('cam-q', password)
    let release!: () => void
    store.state.gate = new Promise<void>((resolve) => { release = resolve })
    const before = store.state.calls
    let acked = false
    const publish = c.publishAsync(s.topic('cam-q', 'event'), event('held'), { qos: 1 }).then(() => { acked = true })
    await until(() => store.state.calls > before, 'the insert')
    // the insert is held: an ack sent on receipt would arrive meanwhile (a busy machine can only hide such a bug, never fail this)
    await new Promise(r => setTimeout(r, 150))
    expect(acked).toBe(false)
    release()
    await publish
    expect(store.committed.has('mqtt:cam-q:held')).toBe(true)
    await c.endAsync()
  })

  it('acks each of many concurrent messages after its own commit (group commit: fewer commits than messages)', async () => {
    const clients = await Promise.all([0, 1, 2].map(() => s.connect('cam-q', password, { clientId: `cam-q-${Math.random()}` })))
    const early: string[] = []
    const before = store.state.calls
    await Promise.all(clients.flatMap((c, k) => Array.from({ length: 100 }, (_, j) => {
      const id = `m-${k}-${j}`
      return c.publishAsync(s.topic('cam-q', 'event'), event(id), { qos: 1 }).then(() => {
        if (!store.committed.has(`mqtt:cam-q:${id}`)) early.push(id)
      })
    })))
    expect(early).toEqual([])
    expect(store.state.calls - before).toBeLessThanOrEqual(300)
    await Promise.all(clients.map(c => c.endAsync()))
  })

  it('leaves a message it could not store unacknowledged; the device sends it again and it is stored', async () => {
    const c = await s.connect('cam-q', password, { clientId: 'cam-q-retry', clean: false, reconnectPeriod: 50 })
    store.state.failNext = true
    await c.publishAsync(s.topic('cam-q', 'event'), event('retried'), { qos: 1 }) // resolves on the PUBACK after the resend
    expect(store.committed.has('mqtt:cam-q:retried')).toBe(true)
    expect(store.state.failNext).toBe(false)
    await c.endAsync()
  })
})

describe('a taken MQTT port', () => {
  it('is one clear log line; HTTP serves on', async () => {
    const squatter = createServer()
    await new Promise<void>(resolve => squatter.listen(0, '127.0.0.1', () => resolve()))
    const port = (squatter.address() as AddressInfo).port
    const lines: { level: string, msg: string }[] = []
    const at = (level: string) => (msg: string) => { lines.push({ level, msg }) }
    const log: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
    const r = await startApp(mqttConfig({ port }), { log })
    try {
      await r.app.mqtt!.ready()
      expect(r.app.mqtt!.port()).toBeNull()
      const mqttLines = lines.filter(l => l.msg.startsWith('mqtt:'))
      expect(mqttLines).toEqual([{ level: 'warn', msg: expect.stringMatching(new RegExp(`^mqtt: port ${port} is taken .*HTTP serves on`)) }])
      expect((await api(r, '/api/v1/health')).status).toBe(200)
    } finally {
      await r.stop()
      await new Promise(resolve => squatter.close(resolve))
    }
  })
})
