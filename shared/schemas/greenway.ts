/**
 * zod schemas of the greenway feature (server side only; the client imports shared/greenway/types.ts):
 * the network and facility files (RFC 7946 GeoJSON, checked one feature at a time so an error names the feature),
 * the change events of POST /api/v1/greenway/events and the footfall readings of POST /api/v1/footfall.
 */
import { z } from 'zod'
import { FACILITY_STATUSES, FACILITY_TYPES, GREENWAY_STATUSES, GREENWAY_TIERS } from '../greenway/types.js'
import { SAFE_ID, SAFE_ID_RULE } from './ids.js'
import { textSchema } from './text.js'

export const greenwayIdSchema = z.string().regex(SAFE_ID, SAFE_ID_RULE)
const lon = z.number().finite().min(-180).max(180)
const lat = z.number().finite().min(-90).max(90)
/** [lon, lat] or [lon, lat, altitude] (RFC 7946 §3.1.1: longitude first, WGS-84). */
export const positionSchema = z.tuple([lon, lat]).rest(z.number().finite())
const bbox = z.array(z.number().finite()).min(4).optional()

export const lineStringSchema = z.object({
  type: z.literal('LineString', { error: 'expected a LineString (split a MultiLineString into one feature per line)' }),
  coordinates: z.array(positionSchema).min(2, 'a LineString needs at least 2 positions'),
  bbox,
})

export const pointSchema = z.object({
  type: z.literal('Point', { error: 'expected a Point' }),
  coordinates: positionSchema,
  bbox,
})

/** Properties of a greenway segment; unknown properties are kept out (lengthKm is always recomputed). */
export const greenwayPropertiesSchema = z.object({
  id: greenwayIdSchema,
  name: z.string().trim().min(1).max(100),
  tier: z.enum(GREENWAY_TIERS),
  status: z.enum(GREENWAY_STATUSES),
  corridor: z.string().trim().min(1).max(100).optional(),
})

export const facilityPropertiesSchema = z.object({
  id: greenwayIdSchema,
  name: z.string().trim().min(1).max(100),
  type: z.enum(FACILITY_TYPES),
  status: z.enum(FACILITY_STATUSES).default('open'),
})

export const greenwayFeatureSchema = z.object({ type: z.literal('Feature'), geometry: lineStringSchema, properties: greenwayPropertiesSchema })
export const facilityFeatureSchema = z.object({ type: z.literal('Feature'), geometry: pointSchema, properties: facilityPropertiesSchema })

/** The collection's envelope; features are checked one by one. `metadata` is our optional foreign member. */
export const featureCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.unknown()),
  crs: z.object({ properties: z.object({ name: z.string() }).optional() }).optional(),
  metadata: z.object({
    approximate: z.boolean().optional(),
    note: z.string().max(500).optional(),
    planKm: z.object(Object.fromEntries(GREENWAY_TIERS.map(t => [t, z.number().nonnegative().optional()]))).optional(),
  }).optional(),
})

const at = z.iso.datetime({ offset: true })

export const segmentStatusChangeSchema = z.object({
  id: greenwayIdSchema,
  kind: z.literal('segment-status'),
  segment: greenwayIdSchema,
  status: z.enum(GREENWAY_STATUSES),
  at,
}).strict()

export const facilityStatusChangeSchema = z.object({
  id: greenwayIdSchema,
  kind: z.literal('facility-status'),
  facility: greenwayIdSchema,
  status: z.enum(FACILITY_STATUSES),
  at,
}).strict()

export const facilityAddedSchema = z.object({
  id: greenwayIdSchema,
  kind: z.literal('facility-added'),
  facility: z.object({
    id: greenwayIdSchema,
    name: textSchema(100).pipe(z.string().trim().min(1)),
    type: z.enum(FACILITY_TYPES),
    lon,
    lat,
    status: z.enum(FACILITY_STATUSES).default('open'),
  }).strict(),
  at,
}).strict()

/** A change of the greenway data set, sent by a source (construction progress, a facility opening). */
export const greenwayChangeSchema = z.discriminatedUnion('kind', [segmentStatusChangeSchema, facilityStatusChangeSchema, facilityAddedSchema])
export type GreenwayChange = z.infer<typeof greenwayChangeSchema>

export const MAX_CHANGES = 1000
export const changeBatchSchema = z.object({ events: z.array(z.unknown()).min(1).max(MAX_CHANGES) }).strict()

/** One footfall counter reading: visitors counted by `sensor` on `segment` in the interval ending at `at`. */
export const footfallReadingSchema = z.object({
  sensor: greenwayIdSchema,
  segment: greenwayIdSchema,
  count: z.number().int().min(0).max(100_000),
  at,
}).strict()
export type FootfallReading = z.infer<typeof footfallReadingSchema>

export const MAX_READINGS = 5000
export const readingBatchSchema = z.object({ readings: z.array(z.unknown()).min(1).max(MAX_READINGS) }).strict()
