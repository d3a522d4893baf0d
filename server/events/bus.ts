import type { Logger } from '../log.js'
import type { DomainEvents, DomainEventType } from './domain-events.js'

/**
 * What travels: a Redis Streams transport can write it as one JSON field and a node can `deliver` it unchanged.
 * `seq` counts up per origin from 1 (with `origin` it names the event across nodes); `at` is the publishing node's
 * app clock (simulated time when the simulator runs).
 */
export interface EventEnvelope<K extends DomainEventType = DomainEventType> {
  seq: number
  type: K
  payload: DomainEvents[K]
  origin: string
  at: number
}

/** Any envelope, discriminated by `type` (narrowing `type` narrows `payload`). */
export type AnyEnvelope = { [K in DomainEventType]: EventEnvelope<K> }[DomainEventType]

export type Consumer<K extends DomainEventType> = (payload: DomainEvents[K], envelope: EventEnvelope<K>) => void | Promise<void>

export interface EventBus {
  /** This node's id (`origin` of what it publishes). */
  readonly origin: string
  /** Publishes after the fact is committed; returns once every consumer ran (or, inside a consumer, once queued). */
  publish: <K extends DomainEventType>(type: K, payload: DomainEvents[K]) => EventEnvelope<K>
  /** `consumer` names it in the log when it fails. Returns the unsubscribe. */
  subscribe: <K extends DomainEventType>(type: K, consumer: string, handle: Consumer<K>) => () => void
  /** Every envelope, in delivery order, before the type's consumers (a transport to other nodes; a trace). */
  subscribeAll: (consumer: string, handle: (envelope: AnyEnvelope) => void | Promise<void>) => () => void
  /** An envelope published elsewhere (another node), delivered here as if published here; its seq and origin kept. */
  deliver: (envelope: AnyEnvelope) => void
  /** Resolves once the promises consumers returned for the events so far have settled (tests, shutdown). */
  settled: () => Promise<void>
}

export interface EventBusOptions {
  log: Logger
  /** Stamps `at`: the app's clock. */
  now: () => number
  /** This node's id (default `local`). */
  origin?: string
}

interface Entry { consumer: string, handle: (payload: unknown, envelope: AnyEnvelope) => void | Promise<void> }

/**
 * The in-process domain event bus. Dispatch is synchronous, after commit, in publish order:
 * - producers publish once their change is committed, so no consumer sees a fact that may still roll back;
 * - every consumer sees events in the order they were published — an event published by a consumer while another is
 *   dispatched is queued behind it (run to completion), never delivered in the middle of it;
 * - consumers of one event run in the order they subscribed (createApp's wiring order: state before the pushes
 *   that read it);
 * - a consumer that throws (or whose promise rejects) is logged with the event type and its name; the others still run.
 * Synchronous because the consumers are cheap in-memory updates that must all have seen a commit before the next one
 * (live counts and the delta of the same tick agree); slow work is a consumer's own business (schedule, batch).
 */
export function createEventBus(opts: EventBusOptions): EventBus {
  const origin = opts.origin ?? 'local'
  const consumers = new Map<DomainEventType, Entry[]>()
  const taps: Entry[] = []
  const queue: AnyEnvelope[] = []
  const inFlight = new Set<Promise<void>>()
  let seq = 0
  let dispatching = false

  const failed = (envelope: AnyEnvelope, consumer: string, err: unknown) =>
    opts.log.error('event consumer failed', { type: envelope.type, consumer, seq: envelope.seq, origin: envelope.origin, error: String(err), stack: (err as Error | undefined)?.stack })

  function run(entry: Entry, payload: unknown, envelope: AnyEnvelope): void {
    try {
      const done = entry.handle(payload, envelope)
      if (done instanceof Promise) {
        const tracked = done.catch((err: unknown) => failed(envelope, entry.consumer, err)).finally(() => inFlight.delete(tracked))
        inFlight.add(tracked)
      }
    } catch (err) {
      failed(envelope, entry.consumer, err)
    }
  }

  function drain(): void {
    dispatching = true
    try {
      for (let envelope = queue.shift(); envelope; envelope = queue.shift()) {
        // copies: a consumer that subscribes or unsubscribes meanwhile changes the next event's list, not this one's
        for (const tap of [...taps]) run(tap, envelope, envelope)
        for (const entry of [...consumers.get(envelope.type) ?? []]) run(entry, envelope.payload, envelope)
      }
    } finally {
      dispatching = false
    }
  }

  function enqueue(envelope: AnyEnvelope): void {
    queue.push(envelope)
    if (!dispatching) drain()
  }

  const remove = (list: Entry[], entry: Entry) => () => {
    const k = list.indexOf(entry)
    if (k >= 0) list.splice(k, 1)
  }

  return {
    origin,
    publish(type, payload) {
      const envelope = { seq: ++seq, type, payload, origin, at: opts.now() }
      enqueue(envelope as AnyEnvelope)
      return envelope
    },
    subscribe(type, consumer, handle) {
      let list = consumers.get(type)
      if (!list) consumers.set(type, list = [])
      const entry: Entry = { consumer, handle: handle as Entry['handle'] }
      list.push(entry)
      return remove(list, entry)
    },
    subscribeAll(consumer, handle) {
      const entry: Entry = { consumer, handle: (_payload, envelope) => handle(envelope) }
      taps.push(entry)
      return remove(taps, entry)
    },
    deliver: enqueue,
    async settled() {
      while (inFlight.size > 0) await Promise.all(inFlight)
    },
  }
}
