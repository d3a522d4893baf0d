import { z } from 'zod'
import { SEVERITIES } from '../../../shared/enums.js'
import { greenwayIdSchema } from '../../../shared/schemas/greenway.js'

/** A device's own message id: with the device id it makes the incident id, so a redelivery is stored once. */
const messageId = z.string().min(1).max(32).regex(/^[\w.:-]+$/, 'letters, digits, _ . : - only (1–32)')
const at = z.iso.datetime({ offset: true })
const lon = z.number().finite().min(-180).max(180)
const lat = z.number().finite().min(-90).max(90)

/** `…/event`: one report, mapped onto the incident schema (docs/API.md "MQTT devices"). */
export const eventPayloadSchema = z.object({
  id: messageId,
  category: z.string(),
  severity: z.enum(SEVERITIES).default('normal'),
  lon: lon.optional(),
  lat: lat.optional(),
  reportedAt: at.optional(),
  description: z.string().max(2000).default(''),
  device: z.string().optional(),
}).strict().refine(p => (p.lon === undefined) === (p.lat === undefined), { path: ['lon'], message: 'lon/lat: give both or neither' })
export type EventPayload = z.infer<typeof eventPayloadSchema>

/** `…/reading`: the measurement time and the kind's metrics by name (device-kinds.ts); (device, at) is its key. */
export const readingPayloadSchema = z.object({
  at,
  device: z.string().optional(),
  lon: lon.optional(),
  lat: lat.optional(),
  segment: greenwayIdSchema.optional(),
}).catchall(z.number().finite())
export type ReadingPayload = z.infer<typeof readingPayloadSchema>

/** `…/status`: the plain text `online` or `offline` (the will a device sets at connect says `offline`). */
export function parseStatus(payload: Buffer): boolean | null {
  const text = payload.toString('utf8').trim().toLowerCase()
  return text === 'online' ? true : text === 'offline' ? false : null
}
