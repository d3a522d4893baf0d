import { cellToLatLng, getResolution } from 'h3-js'
import { describe, expect, it } from 'vitest'
import { components } from '../../server/geo/build/components.js'
import { loadCityGeo } from '../../server/geo/city-geo.js'

const chengdu = loadCityGeo('chengdu')

describe('Chengdu geo data', () => {
  it('has the GB/T 2260 hierarchy: 20 districts, 261 streets/towns, 3,047 communities', () => {
    const count = (level: string) => [...chengdu.units.values()].filter(u => u.level === level).length
    expect([count('district'), count('street'), count('community')]).toEqual([20, 261, 3047])
    expect(chengdu.districts).toHaveLength(20)
  })

  it.each([
    ['Dujiangyan city', 103.62, 30.99, '510181'],
    ['Longquanyi', 104.27, 30.56, '510112'],
    ['Jianyang city', 104.55, 30.39, '510185'],
    ['Shuangliu airport', 103.947, 30.5785, '510116'],
    ['Jintang, Zhaozhen', 104.41, 30.86, '510121'],
    ['Pengzhou', 103.95, 30.99, '510182'],
  ])('locates %s (%f, %f) in district %s, with a consistent chain', (_name, lon, lat, district) => {
    const loc = chengdu.locate(lon, lat)
    expect(loc?.district).toBe(district)
    expect(chengdu.units.get(loc!.community)?.parent).toBe(loc!.street)
    expect(chengdu.units.get(loc!.street)?.parent).toBe(district)
    expect(chengdu.cell(loc!.cell)?.community).toBe(loc!.community)
  })

  it('rejects points outside the city', () => {
    expect(chengdu.locate(106.55, 29.56)).toBeNull() // Chongqing
    expect(chengdu.locate(0, 0)).toBeNull()
  })

  it('maps every cell to one community → street → district, all populated, summing to the city', () => {
    const seen = new Set<string>()
    let total = 0
    let shadowed = 0
    for (const c of chengdu.cells) {
      expect(seen.has(c.h3)).toBe(false)
      seen.add(c.h3)
      total += c.population
      const community = chengdu.units.get(c.community)!
      expect(community.level).toBe('community')
      expect(chengdu.units.get(community.parent!)!.level).toBe('street')
      const [lat, lon] = cellToLatLng(c.h3)
      // A cell centre locates to its own cell, unless a finer cell of a denser neighbour overlaps it there
      // (finer resolutions are tried first along district borders).
      const at = chengdu.locate(lon, lat)!.cell
      if (at !== c.h3) {
        expect(getResolution(at)).toBeGreaterThan(getResolution(c.h3))
        shadowed += 1
      }
    }
    expect(shadowed / chengdu.cells.length).toBeLessThan(0.01)
    expect(total).toBe(21_190_000)
    expect(chengdu.info.population).toBe(21_190_000)
    const districtSum = chengdu.districts.reduce((a, d) => a + d.population, 0)
    expect(districtSum).toBe(21_190_000)
  })

  it('makes every street and community one contiguous piece of same-resolution cells', () => {
    const cellsOf = new Map<string, string[]>()
    for (const c of chengdu.cells) {
      const street = chengdu.units.get(c.community)!.parent!
      for (const key of [c.community, street]) cellsOf.set(key, [...(cellsOf.get(key) ?? []), c.h3])
    }
    expect(cellsOf.size).toBe(261 + 3047)
    for (const [code, cells] of cellsOf) {
      expect(new Set(cells.map(getResolution)).size, code).toBe(1)
      expect(components(cells).length, code).toBe(1)
    }
  })

  it('puts the densest residents in the centre', () => {
    const density = (code: string) => chengdu.units.get(code)!.population / chengdu.units.get(code)!.areaKm2
    expect(density('510104')).toBeGreaterThan(5 * density('510129')) // 锦江区 vs 大邑县
  })

  it('serves street and community polygons built from cells', () => {
    const streets = chengdu.geoJson('street')
    expect(streets.features).toHaveLength(261)
    expect(streets.features[0]!.geometry.type).toBe('MultiPolygon')
    expect(chengdu.geoJson('district').features).toHaveLength(20)
  })
})

describe('district polygons', () => {
  it('are valid RFC 7946 polygons: every polygon has a closed outer ring of ≥ 4 positions inside the bbox', () => {
    const [w, s, e, n] = chengdu.info.bbox
    for (const f of chengdu.geoJson('district').features) {
      const g = f.geometry as GeoJSON.MultiPolygon
      expect(g.coordinates.length).toBeGreaterThan(0)
      for (const polygon of g.coordinates) {
        expect(polygon.length, String(f.properties?.name)).toBeGreaterThan(0)
        for (const ring of polygon) {
          expect(ring.length).toBeGreaterThanOrEqual(4)
          expect(ring[0]).toEqual(ring.at(-1))
          for (const [x, y] of ring) expect(x! >= w && x! <= e && y! >= s && y! <= n).toBe(true)
        }
      }
    }
  })
})
