import { describe, expect, expectTypeOf, it } from 'vitest'
import { type AnyEnvelope, createEventBus, type EventEnvelope } from '../../server/events/bus.js'
import { actorKindOf, type DomainEvents } from '../../server/events/domain-events.js'
import type { Logger } from '../../server/log.js'
import { makeIncident } from '../fixtures/incidents.js'

function recordingLog() {
  const errors: { msg: string, extra?: object }[] = []
  const log: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: (msg, extra) => errors.push({ msg, extra }) }
  return { log, errors }
}

const busFor = (origin?: string) => {
  const { log, errors } = recordingLog()
  let t = 1_000
  return { bus: createEventBus({ log, now: () => t++, ...origin !== undefined && { origin } }), errors }
}

const footfall = (readings: number): DomainEvents['footfall.counted'] => ({ readings })

describe('event bus: ordering', () => {
  it('delivers to consumers in subscription order, and events in publish order', () => {
    const { bus } = busFor()
    const seen: string[] = []
    bus.subscribe('footfall.counted', 'a', p => void seen.push(`a${p.readings}`))
    bus.subscribe('footfall.counted', 'b', p => void seen.push(`b${p.readings}`))
    bus.publish('footfall.counted', footfall(1))
    bus.publish('footfall.counted', footfall(2))
    expect(seen).toEqual(['a1', 'b1', 'a2', 'b2'])
  })

  it('dispatches synchronously: every consumer has run when publish returns', () => {
    const { bus } = busFor()
    let ran = false
    bus.subscribe('greenway.changed', 'c', () => { ran = true })
    bus.publish('greenway.changed', { version: 1 })
    expect(ran).toBe(true)
  })

  it('queues an event published by a consumer behind the one being dispatched (every consumer sees publish order)', () => {
    const { bus } = busFor()
    const seen: string[] = []
    bus.subscribe('footfall.counted', 'first', (p) => {
      seen.push(`first:${p.readings}`)
      if (p.readings === 1) bus.publish('footfall.counted', footfall(2))
    })
    bus.subscribe('footfall.counted', 'second', p => void seen.push(`second:${p.readings}`))
    bus.publish('footfall.counted', footfall(1))
    expect(seen).toEqual(['first:1', 'second:1', 'first:2', 'second:2'])
  })

  it('numbers envelopes per origin and stamps them with the clock; taps see every type before its consumers', () => {
    const { bus } = busFor('node-a')
    const seen: string[] = []
    bus.subscribeAll('trace', e => void seen.push(`tap:${e.type}:${e.seq}`))
    bus.subscribe('greenway.changed', 'c', () => void seen.push('consumer'))
    const first = bus.publish('footfall.counted', footfall(1))
    const second = bus.publish('greenway.changed', { version: 3 })
    expect([first.seq, second.seq]).toEqual([1, 2])
    expect(first.origin).toBe('node-a')
    expect(second.at).toBeGreaterThan(first.at)
    expect(seen).toEqual(['tap:footfall.counted:1', 'tap:greenway.changed:2', 'consumer'])
  })

  it('unsubscribes', () => {
    const { bus } = busFor()
    let n = 0
    const off = bus.subscribe('footfall.counted', 'c', () => { n++ })
    bus.publish('footfall.counted', footfall(1))
    off()
    bus.publish('footfall.counted', footfall(1))
    expect(n).toBe(1)
  })
})

describe('event bus: error isolation', () => {
  it('a throwing consumer does not stop the others and is logged with the event type and its name', () => {
    const { bus, errors } = busFor()
    const seen: string[] = []
    bus.subscribe('alarm.raised', 'before', () => void seen.push('before'))
    bus.subscribe('alarm.raised', 'broken', () => { throw new Error('boom') })
    bus.subscribe('alarm.raised', 'after', () => void seen.push('after'))
    bus.publish('alarm.raised', { alarms: [] })
    bus.publish('alarm.raised', { alarms: [] })
    expect(seen).toEqual(['before', 'after', 'before', 'after'])
    expect(errors).toHaveLength(2)
    expect(errors[0]).toMatchObject({ msg: 'event consumer failed', extra: { type: 'alarm.raised', consumer: 'broken', seq: 1, error: 'Error: boom' } })
  })

  it('a rejected promise from a consumer is logged too', async () => {
    const { bus, errors } = busFor()
    bus.subscribe('footfall.counted', 'async', async () => { throw new Error('later') })
    bus.publish('footfall.counted', footfall(1))
    await new Promise(resolve => setImmediate(resolve))
    expect(errors[0]).toMatchObject({ extra: { type: 'footfall.counted', consumer: 'async', error: 'Error: later' } })
  })

  it('settled waits for the promises consumers returned, failed ones included', async () => {
    const { bus, errors } = busFor()
    const done: number[] = []
    bus.subscribe('footfall.counted', 'slow', async (p) => {
      await new Promise(resolve => setTimeout(resolve, 20))
      if (p.readings === 2) throw new Error('slow failure')
      done.push(p.readings)
    })
    bus.publish('footfall.counted', footfall(1))
    bus.publish('footfall.counted', footfall(2))
    expect(done).toEqual([])
    await bus.settled()
    expect(done).toEqual([1])
    expect(errors).toHaveLength(1)
    await bus.settled() // nothing in flight: resolves at once
  })

  it('a failure while dispatching one event does not lose the events queued behind it', () => {
    const { bus, errors } = busFor()
    const seen: number[] = []
    bus.subscribe('footfall.counted', 'publisher', (p) => {
      if (p.readings === 1) bus.publish('footfall.counted', footfall(2))
      throw new Error('after publishing')
    })
    bus.subscribe('footfall.counted', 'reader', p => void seen.push(p.readings))
    bus.publish('footfall.counted', footfall(1))
    expect(seen).toEqual([1, 2])
    expect(errors).toHaveLength(2)
  })
})

describe('event bus: envelope and typing', () => {
  it('an envelope survives JSON unchanged and is delivered on another node with its seq and origin', () => {
    const { bus: a } = busFor('node-a')
    const { bus: b } = busFor('node-b')
    const wire: string[] = []
    a.subscribeAll('transport', e => void wire.push(JSON.stringify(e)))
    const incident = makeIncident({ id: 'r1', seq: 7, assistingDepartments: ['x'], postponeRequest: { deadline: '2026-12-01T00:00:00.000Z', reason: 'r', at: '2026-11-30T00:00:00.000Z' } })
    const sent = a.publish('case.changed', { incident, from: 'reported', actor: 'alice', actorKind: 'person' })
    const received: EventEnvelope<'case.changed'>[] = []
    b.subscribe('case.changed', 'reader', (payload, envelope) => void received.push(envelope))
    b.deliver(JSON.parse(wire[0]!) as AnyEnvelope)
    expect(received).toHaveLength(1)
    expect(received[0]).toEqual(sent)
    expect(received[0]!.origin).toBe('node-a')
  })

  it('types each payload by its event type', () => {
    const { bus } = busFor()
    bus.subscribe('case.changed', 'typed', (payload) => {
      expectTypeOf(payload.incident.id).toEqualTypeOf<string>()
      expectTypeOf(payload.actorKind).toEqualTypeOf<'person' | 'machine'>()
    })
    expectTypeOf(bus.publish('footfall.counted', footfall(1))).toEqualTypeOf<EventEnvelope<'footfall.counted'>>()
    // @ts-expect-error: a payload of another event is refused
    bus.publish('footfall.counted', { version: 1 })
    // @ts-expect-error: an undeclared event type is refused
    bus.publish('report.lost', {})
    const narrow = (e: AnyEnvelope) => (e.type === 'alarm.acknowledged' ? e.payload.alarm.id : null)
    expectTypeOf(narrow).returns.toEqualTypeOf<number | null>()
  })

  it('decides once who acted: namespaced actors are machines, user names are people', () => {
    expect(actorKindOf('alice')).toBe('person')
    expect(actorKindOf('system:dedupe')).toBe('machine')
    expect(actorKindOf('sim:department')).toBe('machine')
    expect(actorKindOf('key:open311')).toBe('machine')
  })
})
