import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alarm } from '../../shared/alarms.js'
import type { ScopeDelta } from '../../shared/events.js'
import type { AnyEnvelope } from '../../server/events/bus.js'
import type { Logger } from '../../server/log.js'
import { client, inputIn, nextEvent, nextInBatch, post, type Running, startApp, subscribe } from './harness.js'

const errors: { msg: string, extra?: object }[] = []
const log: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: (msg, extra) => errors.push({ msg, extra }) }
let s: Running
beforeAll(async () => { s = await startApp({}, { log }) })
afterAll(async () => { await s.stop() })

describe('the app on its event bus', () => {
  it('publishes a report and the alarm of its commit, in that order, and a failing consumer stops neither the pushes nor the answer', async () => {
    const seen: AnyEnvelope[] = []
    const offTap = s.app.events.subscribeAll('test:trace', e => void seen.push(e))
    const offBroken = s.app.events.subscribe('report.stored', 'test:broken', () => { throw new Error('consumer bug') })
    try {
      const c = client(s.url)
      await subscribe(c, { scope: 'city' })
      const input = inputIn(s.app, '510106', { severity: 'critical', category: '0403' })
      const delta = nextEvent<ScopeDelta>(c, 'scope:delta', d => d.incidents.some(i => i.id === input.id))
      const alarm = nextInBatch<Alarm>(c, 'alarm:raised', a => a.incidentId === input.id)
      expect((await post(s.url, { events: [input] })).status).toBe(200)
      await Promise.all([delta, alarm])
      c.disconnect()

      const ours = seen.filter(e => (e.type === 'report.stored' && e.payload.incidents.some(i => i.id === input.id)) || (e.type === 'alarm.raised' && e.payload.alarms.some(a => a.incidentId === input.id)))
      expect(ours.map(e => e.type)).toEqual(['report.stored', 'alarm.raised'])
      expect(ours[1]!.seq).toBe(ours[0]!.seq + 1)
      expect(errors).toContainEqual(expect.objectContaining({ msg: 'event consumer failed', extra: expect.objectContaining({ type: 'report.stored', consumer: 'test:broken' }) }))
    } finally {
      offTap()
      offBroken()
    }
  })

  it('tells consumers who acted: a person by name, a machine by its namespaced actor', async () => {
    const steps: { actor: string, actorKind: string }[] = []
    const off = s.app.events.subscribe('case.changed', 'test:steps', p => void steps.push({ actor: p.actor, actorKind: p.actorKind }))
    try {
      const input = inputIn(s.app, '510104')
      await post(s.url, { events: [input] })
      const outcome = await s.app.cases.act(input.id, { action: 'file', version: 1, actor: 'alice' })
      expect(outcome.ok).toBe(true)
      const [machine] = await s.app.cases.actMany([{ id: input.id, action: { action: 'dispatch', version: 2, actor: 'sim:centre' } }])
      expect(machine!.ok).toBe(true)
      expect(steps).toEqual([{ actor: 'alice', actorKind: 'person' }, { actor: 'sim:centre', actorKind: 'machine' }])
    } finally {
      off()
    }
  })
})
