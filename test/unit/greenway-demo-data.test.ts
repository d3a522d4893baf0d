import { readFileSync } from 'node:fs'
import path from 'node:path'
import { getResolution, latLngToCell } from 'h3-js'
import { describe, expect, it } from 'vitest'
import { GEO_DATA_DIR, loadCityGeo } from '../../server/geo/city-geo.js'
import { HEALTH_CENTRE_RESIDENTS, SCHOOL_PARK_RESIDENTS } from '../../server/geo/build/greenway/facilities.js'
import { buildGreenwayFiles } from '../../server/geo/build/greenway/index.js'
import { TIER_SHARES } from '../../server/geo/build/greenway/local-tiers.js'
import { demoFigures } from '../../server/geo/build/greenway/report.js'
import { checkFacilities, checkNetwork } from '../../server/greenway/data-files.js'
import { cityLocator } from '../../server/greenway/model-input.js'
import type { FacilityType } from '../../shared/greenway/types.js'

const dir = path.join(GEO_DATA_DIR, 'chengdu')
const read = (name: string) => readFileSync(path.join(dir, name), 'utf8')
const PLAN_KM = { regional: 1920, city: 5380, community: 9630 }
/** The five central districts (锦江, 青羊, 金牛, 武侯, 成华). */
const CORE = ['510104', '510105', '510106', '510107', '510108']

describe('Chengdu demo greenway data (示意)', () => {
  const geo = loadCityGeo('chengdu')
  const locator = cityLocator(geo)
  const network = checkNetwork(JSON.parse(read('greenways.geojson')), locator)
  const facilities = checkFacilities(JSON.parse(read('facilities.geojson')), locator)
  const figures = demoFigures(geo, { 'greenways.geojson': read('greenways.geojson'), 'facilities.geojson': read('facilities.geojson') })
  const units = [...geo.units.values()]
  const communities = units.filter(u => u.level === 'community')
  const streets = units.filter(u => u.level === 'street')
  const ofType = (t: FacilityType) => (facilities.ok ? facilities.data.filter(f => f.type === t) : [])
  /** The community whose grid cell holds a point (at that cell's own resolution: independent of locate()'s order). */
  const cellsOf = new Map<string, Set<string>>()
  for (const c of geo.cells) cellsOf.set(c.community, (cellsOf.get(c.community) ?? new Set()).add(c.h3))
  const inCommunity = (lon: number, lat: number, code: string) => [...cellsOf.get(code)!].some(h => latLngToCell(lat, lon, getResolution(h)) === h)

  it('passes its own validation, every position inside the city, and says it is approximate', () => {
    expect(network.ok && facilities.ok).toBe(true)
    expect(network.ok && network.info).toMatchObject({ approximate: true, planKm: PLAN_KM })
  })

  it('builds each tier to the documented share of the plan (docs/DATA.md)', () => {
    const km = figures.summary.km
    const total = (t: keyof typeof km) => km[t].built + km[t].under_construction + km[t].planned
    // regional: the whole tier drawn, most of it built (scheduled complete in 2025)
    expect(total('regional')).toBeGreaterThan(PLAN_KM.regional * 0.97)
    expect(total('regional')).toBeLessThan(PLAN_KM.regional * 1.03)
    expect(km.regional.built / PLAN_KM.regional).toBeGreaterThan(0.85)
    for (const tier of ['city', 'community'] as const) {
      const share = TIER_SHARES[tier]
      expect(km[tier].built / PLAN_KM[tier], tier).toBeGreaterThan(share.built - 0.02)
      expect(km[tier].built / PLAN_KM[tier], tier).toBeLessThan(share.built + 0.02)
      expect(km[tier].under_construction, tier).toBeGreaterThan(0)
      expect(km[tier].planned, tier).toBeGreaterThan(0)
      expect(total(tier), tier).toBeLessThan(PLAN_KM[tier])
    }
    expect(TIER_SHARES.city.built).toBe(0.5)
    expect(TIER_SHARES.community.built).toBe(0.35)
  })

  it('has one open 党群服务中心 in every community, inside it', () => {
    const stations = ofType('station')
    expect(stations).toHaveLength(communities.length)
    // community names repeat across streets: a station belongs to the community of its name that holds it
    const byName = new Map<string, string[]>()
    for (const c of communities) byName.set(`${c.name}党群服务中心`, [...(byName.get(`${c.name}党群服务中心`) ?? []), c.code])
    const perCommunity = new Map<string, number>()
    for (const s of stations) {
      expect(s.status, s.name).toBe('open')
      const home = (byName.get(s.name) ?? []).filter(code => inCommunity(s.lon, s.lat, code))
      expect(home, s.name).toHaveLength(1)
      perCommunity.set(home[0]!, (perCommunity.get(home[0]!) ?? 0) + 1)
    }
    expect(perCommunity.size).toBe(communities.length)
    expect([...perCommunity.values()].every(n => n === 1)).toBe(true)
  })

  it('counts the other facility types from the norms', () => {
    const tenMinute = streets.reduce((a, s) => a + Math.max(1, Math.ceil(s.population / SCHOOL_PARK_RESIDENTS)), 0)
    expect(ofType('school')).toHaveLength(tenMinute)
    expect(ofType('park')).toHaveLength(tenMinute)
    expect(ofType('elderly')).toHaveLength(communities.length)
    // a 站/村卫生室 per community, except where a 社区卫生服务中心/卫生院 stands instead
    const centres = streets.reduce((a, s) => a + Math.max(1, Math.ceil(s.population / HEALTH_CENTRE_RESIDENTS)), 0)
    const clinics = ofType('clinic')
    expect(clinics.filter(c => /(社区卫生服务中心|卫生院)/.test(c.name))).toHaveLength(centres)
    expect(clinics).toHaveLength(communities.length)
    // a few are still planned, so "a facility opens" can be played
    const planned = facilities.ok ? facilities.data.filter(f => f.status === 'planned').length : 0
    expect(planned).toBeGreaterThan(100)
  })

  it('gives a 15-minute circle high in the urban core, lower in the counties, never 0 % in a district', () => {
    const rows = new Map(figures.districts.map(r => [r.code, r]))
    expect(figures.city.serviceAll).toBeGreaterThan(0.4)
    expect(figures.city.serviceAll).toBeLessThan(0.75)
    for (const code of CORE) expect(rows.get(code)!.serviceAll, rows.get(code)!.name).toBeGreaterThan(0.85)
    const coreMin = Math.min(...CORE.map(c => rows.get(c)!.serviceAll))
    for (const r of figures.districts) {
      expect(r.serviceAll, r.name).toBeGreaterThan(0.05)
      if (/[县市]$/.test(r.name)) expect(r.serviceAll, r.name).toBeLessThan(coreMin)
    }
  })

  it('is rebuilt byte for byte by `npm run greenway:build`', { timeout: 180_000 }, () => {
    const { files } = buildGreenwayFiles('chengdu')
    expect(files['greenways.geojson']).toBe(read('greenways.geojson'))
    expect(files['facilities.geojson']).toBe(read('facilities.geojson'))
  })
})
