import type { z } from 'zod'
import type { IngestResult, Location } from '../../../shared/incident.js'
import type { IncidentInput } from '../../../shared/schemas/incident.js'
import { issuesToDetails } from '../../../shared/schemas/errors.js'
import { parseScope, scopeContains } from '../../../shared/scope.js'
import type { FootfallResult } from '../../greenway/footfall-service.js'
import type { DeviceRecord } from '../../store/repository.js'
import { type DeviceKind, deviceKind } from './device-kinds.js'
import type { DeviceRegistry } from './device-registry.js'
import { ExcursionTracker } from './excursions.js'
import { eventPayloadSchema, parseStatus, readingPayloadSchema } from './payloads.js'
import { devicePrefix, parseTopic } from './topics.js'

/** Why a message was dropped (counted per device; the detail names the field where there is one). */
export const REJECT_REASONS = ['bad-topic', 'not-own-topic', 'unknown-device', 'device-mismatch', 'bad-json', 'bad-payload', 'no-location', 'out-of-scope', 'bad-credentials'] as const
export type RejectReason = typeof REJECT_REASONS[number]

/**
 * What the MQTT source tells the rest of the server (GET /api/v1/sources counts from these). `deviceId` is the id
 * the message claimed (its topic's, or the login's) — possibly unregistered; '?' when it named none.
 */
export interface MqttCallbacks {
  /** A valid message was handled (stored, a duplicate of a stored one, or a reading taken): n messages. */
  onAccepted?: (deviceId: string, n: number) => void
  /** A message was dropped, with why. */
  onRejected?: (deviceId: string, reason: RejectReason, detail: string) => void
  /** A `…/status` message (or a device's last will) said online/offline. */
  onStatus?: (deviceId: string, online: boolean) => void
}

export interface HandlerDeps extends MqttCallbacks {
  cityCode: string
  devices: DeviceRegistry
  /** One event into the shared ingest path (group-committed); resolves after commit. */
  ingest: (event: unknown) => Promise<IngestResult>
  /** The greenway footfall service's ingest; absent: footfall readings are refused. */
  footfall?: (readings: unknown[]) => Promise<FootfallResult[]>
  locate: (lon: number, lat: number) => Location | null
  now: () => number
  saveExcursions: (deviceId: string, excursions: Record<string, string>) => Promise<void>
}

export interface Message {
  topic: string
  payload: Buffer
  /** The device the broker authenticated (embedded broker); null when an external broker did that. */
  authenticated: string | null
}

const MAX_PAYLOAD = 64 * 1024
const READING_KEYS = new Set(['at', 'device', 'lon', 'lat', 'segment'])

class Rejected extends Error {
  constructor(readonly reason: RejectReason, detail: string) { super(detail) }
}

function parseJson(payload: Buffer): unknown {
  if (payload.length > MAX_PAYLOAD) throw new Rejected('bad-payload', `payload: over ${MAX_PAYLOAD / 1024} KB`)
  try {
    return JSON.parse(payload.toString('utf8'))
  } catch (err) {
    throw new Rejected('bad-json', (err as Error).message)
  }
}

function fieldErrors(error: z.ZodError): string {
  return issuesToDetails(error).map(d => `${d.path}: ${d.message}`).join('; ')
}

/**
 * One MQTT message → the server: topic → device → payload → the shared ingest path (events, readings past a
 * threshold), the footfall service (counters) or a status. Resolves once what it stored is committed; rejects only
 * when the store failed (the broker then withholds the ack, and the device sends it again). A bad message is
 * counted (`onRejected`) and dropped, never thrown.
 */
export function createMessageHandler(deps: HandlerDeps) {
  const excursions = new ExcursionTracker()

  async function deviceFor(topicDevice: string): Promise<DeviceRecord> {
    const device = await deps.devices.get(topicDevice)
    if (!device) throw new Rejected('unknown-device', `device: "${topicDevice}" is not registered (or is disabled)`)
    return device
  }

  function placeOf(device: DeviceRecord, p: { lon?: number | undefined, lat?: number | undefined }): { lon: number, lat: number } {
    const lon = p.lon ?? device.lon
    const lat = p.lat ?? device.lat
    if (lon === undefined || lat === undefined) throw new Rejected('no-location', 'lon/lat: not in the message, and the device has no registered location')
    const scope = parseScope(device.scope)
    const at = scope && scope.level !== 'city' ? deps.locate(lon, lat) : null
    if (scope && at && !scopeContains(scope, at)) throw new Rejected('out-of-scope', `lon/lat: (${lon}, ${lat}) is outside the device's scope ${device.scope}`)
    return { lon, lat }
  }

  async function store(input: IncidentInput): Promise<void> {
    const result = await deps.ingest(input)
    if (result.status === 'rejected') throw new Rejected('bad-payload', result.error ?? 'rejected')
  }

  async function event(device: DeviceRecord, kind: DeviceKind, raw: unknown): Promise<void> {
    const parsed = eventPayloadSchema.safeParse(raw)
    if (!parsed.success) throw new Rejected('bad-payload', fieldErrors(parsed.error))
    const p = parsed.data
    if (p.device !== undefined && p.device !== device.id) throw new Rejected('device-mismatch', `device: "${p.device}" in a message on ${device.id}'s topic`)
    await store({
      id: `mqtt:${device.id}:${p.id}`, source: kind.source, category: p.category, severity: p.severity, ...placeOf(device, p),
      reportedAt: p.reportedAt ?? new Date(deps.now()).toISOString(), description: p.description,
    })
  }

  async function reading(device: DeviceRecord, kind: DeviceKind, raw: unknown): Promise<void> {
    const parsed = readingPayloadSchema.safeParse(raw)
    if (!parsed.success) throw new Rejected('bad-payload', fieldErrors(parsed.error))
    const p = parsed.data
    if (p.device !== undefined && p.device !== device.id) throw new Rejected('device-mismatch', `device: "${p.device}" in a message on ${device.id}'s topic`)
    const values = Object.entries(p).filter(([k]) => !READING_KEYS.has(k)) as [string, number][]
    const names = Object.keys(kind.metrics)
    if (values.length === 0) throw new Rejected('bad-payload', `a ${device.kind} reading carries ${names.length ? names.join(' and/or ') : 'nothing (it sends events only)'}`)
    for (const [name, value] of values) {
      const m = kind.metrics[name]
      if (!m) throw new Rejected('bad-payload', `${name}: not a ${device.kind} metric (${names.join(', ') || 'none'})`)
      if (value < m.min || value > m.max) throw new Rejected('bad-payload', `${name}: ${value} is outside ${m.min}–${m.max} ${m.unit}`)
    }
    if (kind.footfall) return footfall(device, p.segment ?? device.segment, values[0]![1], p.at)
    const atMs = Date.parse(p.at)
    for (const [name, value] of values) {
      const t = kind.metrics[name]!.threshold
      if (!t) continue
      const change = excursions.observe(device, name, value, p.at, t)
      if (change === 'start') {
        const text = t.text.replace('{device}', device.id).replace('{value}', String(value)).replaceAll('{above}', String(t.above)).replaceAll('{unit}', kind.metrics[name]!.unit)
        try {
          await store({ id: `mqtt:${device.id}:${name}:${atMs}`, source: kind.source, category: t.category, severity: t.severity, ...placeOf(device, p), reportedAt: p.at, description: text })
        } catch (err) {
          excursions.undo(device.id, name)
          throw err
        }
      }
      if (change) await deps.saveExcursions(device.id, excursions.current(device.id))
    }
  }

  async function footfall(device: DeviceRecord, segment: string | undefined, count: number, at: string): Promise<void> {
    if (!deps.footfall) throw new Rejected('bad-payload', 'footfall: this server has no greenway footfall service')
    if (!segment) throw new Rejected('bad-payload', 'segment: not in the reading, and the counter has no registered segment')
    const [result] = await deps.footfall([{ sensor: device.id, segment, count, at }])
    if (result?.status === 'rejected') throw new Rejected('bad-payload', result.error ?? 'rejected')
  }

  /** Resolves to null when the message was taken, else to why it was dropped (already counted). */
  return async function handle(msg: Message): Promise<RejectReason | null> {
    const topic = parseTopic(deps.cityCode, msg.topic)
    const claimed = msg.authenticated ?? topic.deviceId ?? '?'
    try {
      // the topic ACL of the embedded broker: a device publishes under its own prefix only
      if (msg.authenticated !== null && !msg.topic.startsWith(devicePrefix(deps.cityCode, msg.authenticated))) throw new Rejected('not-own-topic', `topic: ${msg.topic} is not under ${devicePrefix(deps.cityCode, msg.authenticated)}`)
      if (!topic.ok) throw new Rejected('bad-topic', `topic: ${msg.topic} is not city/${deps.cityCode}/device/{deviceId}/{event|reading|status}`)
      const device = await deviceFor(topic.deviceId)
      const kind = deviceKind(device.kind)!
      if (topic.channel === 'status') {
        if (msg.payload.length === 0) return null // clears a retained status (an MQTT idiom): nothing to say
        const online = parseStatus(msg.payload)
        if (online === null) throw new Rejected('bad-payload', 'status: the text online or offline')
        deps.onStatus?.(device.id, online)
      } else if (topic.channel === 'event') {
        await event(device, kind, parseJson(msg.payload))
      } else {
        await reading(device, kind, parseJson(msg.payload))
      }
      deps.onAccepted?.(device.id, 1)
      return null
    } catch (err) {
      if (!(err instanceof Rejected)) throw err
      deps.onRejected?.(claimed, err.reason, err.message)
      return err.reason
    }
  }
}

export type MessageHandler = ReturnType<typeof createMessageHandler>
