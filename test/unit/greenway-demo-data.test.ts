import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { GEO_DATA_DIR, loadCityGeo } from '../../server/geo/city-geo.js'
import { buildGreenwayFiles } from '../../server/geo/build/greenway/index.js'
import { checkFacilities, checkNetwork } from '../../server/greenway/data-files.js'
import { cityLocator } from '../../server/greenway/model-input.js'
import { summariseNetwork } from '../../shared/greenway/coverage.js'

const dir = path.join(GEO_DATA_DIR, 'chengdu')
const read = (name: string) => readFileSync(path.join(dir, name), 'utf8')

describe('Chengdu demo greenway data (示意)', () => {
  const locator = cityLocator(loadCityGeo('chengdu'))
  const network = checkNetwork(JSON.parse(read('greenways.geojson')), locator)
  const facilities = checkFacilities(JSON.parse(read('facilities.geojson')), locator)

  it('passes its own validation, every position inside the city, and says it is approximate', () => {
    expect(network.ok && facilities.ok).toBe(true)
    expect(network.ok && network.info).toMatchObject({ approximate: true, planKm: { regional: 1920, city: 5380, community: 9630 } })
  })

  it('follows the plan\'s regional tier (1,920 km), ≈ 2,300 km in all, 3,000 facilities', () => {
    if (!network.ok || !facilities.ok) throw new Error('invalid')
    const s = summariseNetwork(network.data, facilities.data)
    const km = (t: keyof typeof s.km) => Object.values(s.km[t]).reduce((a, b) => a + b, 0)
    expect(km('regional')).toBeGreaterThan(1920 * 0.97)
    expect(km('regional')).toBeLessThan(1920 * 1.03)
    expect(km('regional') + km('city') + km('community')).toBeGreaterThan(2000)
    expect(s.km.regional.built / km('regional')).toBeGreaterThan(0.85) // 2025: the regional tier built
    expect(s.km.community.planned + s.km.community.under_construction).toBeGreaterThan(0)
    expect(facilities.data).toHaveLength(3000)
    expect(new Set(facilities.data.map(f => f.type))).toEqual(new Set(['station', 'clinic', 'school', 'park', 'elderly']))
  })

  it('is rebuilt byte for byte by `npm run greenway:build`', { timeout: 60_000 }, () => {
    const { files } = buildGreenwayFiles('chengdu')
    expect(files['greenways.geojson']).toBe(read('greenways.geojson'))
    expect(files['facilities.geojson']).toBe(read('facilities.geojson'))
  })
})
