/**
 * Reading and checking the greenway network and facility files: RFC 7946 GeoJSON (a FeatureCollection, WGS-84
 * longitude/latitude, no other CRS), each feature validated on its own so that a refusal names the feature and the
 * field, every position inside the city. Nothing here keeps state: a refused file changes nothing.
 */
import { existsSync, readFileSync } from 'node:fs'
import type { z } from 'zod'
import { lengthByPlace, lineKm } from '../../shared/greenway/geometry.js'
import type { FacilitySummary, GreenwayDataInfo, GreenwayStatus, GreenwayTier } from '../../shared/greenway/types.js'
import type { ErrorDetail } from '../../shared/schemas/errors.js'
import { facilityFeatureSchema, featureCollectionSchema, greenwayFeatureSchema } from '../../shared/schemas/greenway.js'

export interface Locator {
  name: string
  /** Community code of a point, or null outside the city. */
  communityAt: (lon: number, lat: number) => string | null
}

export interface NetworkSegment {
  id: string
  name: string
  tier: GreenwayTier
  status: GreenwayStatus
  corridor?: string
  coords: number[][]
  lengthKm: number
  kmByCommunity: Map<string, number>
}

export type FileInfo = Pick<GreenwayDataInfo, 'approximate' | 'note' | 'planKm'>
export type Checked<T> = { ok: true, data: T, info: FileInfo } | { ok: false, error: string, details: ErrorDetail[] }

const MAX_DETAILS = 20
const WGS84_NAMES = new Set(['urn:ogc:def:crs:OGC:1.3:CRS84', 'urn:ogc:def:crs:OGC::CRS84', 'EPSG:4326', 'urn:ogc:def:crs:EPSG::4326'])

function refuse(what: string, details: ErrorDetail[]): { ok: false, error: string, details: ErrorDetail[] } {
  const more = details.length > 1 ? ` (and ${details.length - 1} more problem${details.length > 2 ? 's' : ''})` : ''
  return { ok: false, error: `${what} refused: ${details[0]!.message}${more}`, details: details.slice(0, MAX_DETAILS) }
}

export function readJson(file: string): { ok: true, json: unknown } | { ok: false, error: string, details: ErrorDetail[] } {
  if (!existsSync(file)) return { ok: false, error: 'file not found', details: [{ path: '(file)', message: 'file not found' }] }
  try {
    return { ok: true, json: JSON.parse(readFileSync(file, 'utf8')) as unknown }
  } catch (err) {
    const message = `not JSON: ${(err as Error).message}`
    return { ok: false, error: message, details: [{ path: '(file)', message }] }
  }
}

const label = (k: number, raw: unknown) => {
  const id = (raw as { properties?: { id?: unknown } } | null)?.properties?.id
  return typeof id === 'string' || typeof id === 'number' ? `feature ${k} ("${id}")` : `feature ${k}`
}

/** Checks the envelope and every feature; calls `accept` with each valid one. Returns the problems found. */
function checkFeatures<S extends z.ZodType>(json: unknown, schema: S, locator: Locator, accept: (f: z.infer<S>, k: number) => void): { details: ErrorDetail[], info: FileInfo } {
  const details: ErrorDetail[] = []
  const env = featureCollectionSchema.safeParse(json)
  if (!env.success) {
    return { details: env.error.issues.map(i => ({ path: i.path.join('.') || '(root)', message: `${i.path.join('.') || 'file'}: ${i.message} (expected a GeoJSON FeatureCollection)` })), info: { approximate: false, note: null, planKm: null } }
  }
  const crs = env.data.crs?.properties?.name
  if (crs !== undefined && !WGS84_NAMES.has(crs)) details.push({ path: 'crs.properties.name', message: `crs: ${crs} is not WGS-84 longitude/latitude (RFC 7946 allows no other)` })
  const seen = new Map<string, number>()
  env.data.features.forEach((raw, k) => {
    if (details.length > MAX_DETAILS) return
    const parsed = schema.safeParse(raw)
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const field = i.path.map(String).join('.')
        details.push({ path: `features.${k}.${field}`, message: `${label(k, raw)}: ${field || 'feature'}: ${i.message}` })
      }
      return
    }
    const f = parsed.data as { properties: { id: string }, geometry: { coordinates: number[] | number[][] } }
    const id = f.properties.id
    if (seen.has(id)) {
      details.push({ path: `features.${k}.properties.id`, message: `${label(k, raw)}: properties.id: "${id}" is used twice (also feature ${seen.get(id)})` })
      return
    }
    seen.set(id, k)
    const positions = (typeof f.geometry.coordinates[0] === 'number' ? [f.geometry.coordinates] : f.geometry.coordinates) as number[][]
    const outside = positions.findIndex(p => locator.communityAt(p[0]!, p[1]!) === null)
    if (outside >= 0) {
      const p = positions[outside]!
      const where = positions.length === 1 ? 'geometry.coordinates' : `geometry.coordinates.${outside}`
      details.push({ path: `features.${k}.${where}`, message: `${label(k, raw)}: ${where}: position [${p[0]}, ${p[1]}] is outside ${locator.name}` })
      return
    }
    accept(parsed.data, k)
  })
  const m = env.data.metadata
  return { details, info: { approximate: m?.approximate ?? false, note: m?.note ?? null, planKm: m?.planKm ?? null } }
}

/** A greenway network file → segments with their geodesic length and km per community. */
export function checkNetwork(json: unknown, locator: Locator): Checked<NetworkSegment[]> {
  const segments: NetworkSegment[] = []
  const degenerate: ErrorDetail[] = []
  const { details, info } = checkFeatures(json, greenwayFeatureSchema, locator, (f, k) => {
    const coords = f.geometry.coordinates.map(p => [p[0], p[1]])
    const lengthKm = lineKm(coords)
    if (lengthKm === 0) {
      degenerate.push({ path: `features.${k}.geometry.coordinates`, message: `feature ${k} ("${f.properties.id}"): geometry.coordinates: the line has zero length` })
      return
    }
    segments.push({ ...f.properties, coords, lengthKm: Math.round(lengthKm * 1000) / 1000, kmByCommunity: lengthByPlace(coords, locator.communityAt) })
  })
  details.push(...degenerate)
  if (details.length > 0) return refuse('greenway file', details)
  return { ok: true, data: segments, info }
}

export function checkFacilities(json: unknown, locator: Locator): Checked<FacilitySummary[]> {
  const facilities: FacilitySummary[] = []
  const { details, info } = checkFeatures(json, facilityFeatureSchema, locator, (f) => {
    facilities.push({ ...f.properties, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] })
  })
  if (details.length > 0) return refuse('facility file', details)
  return { ok: true, data: facilities, info }
}
