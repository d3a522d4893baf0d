import { cellArea } from 'h3-js'
import { describe, expect, it } from 'vitest'
import { loadCityGeo } from '../../server/geo/city-geo.js'

/**
 * Every unit is the sum of its children, at every level down to the grid cells: a cell counted twice (Dazhou before
 * issue #11 doubled every figure) or land given to the wrong unit shows up here. Areas are rounded to 0.01 km² per
 * unit, so a parent may differ from its children's sum by up to half a hundredth per child.
 */
describe.each(['chengdu', 'dazhou-tongchuan'])('unit sums: %s', (cityId) => {
  const geo = loadCityGeo(cityId)
  const units = [...geo.units.values()]
  const areaTolerance = (children: number) => 0.005 * (children + 1) + 1e-9

  it('has exactly one root, the city, and no unit is its own child or shares a code', () => {
    expect(units.filter(u => u.parent === null).map(u => u.code)).toEqual([geo.info.code])
    expect(geo.units.get(geo.info.code)?.level).toBe('city')
    for (const u of units) expect(geo.children(u.code).map(c => c.code), u.name).not.toContain(u.code)
    expect(geo.units.size).toBe(units.length)
  })

  it.each(['city', 'district', 'street'] as const)('a %s has the population and area of its children', (level) => {
    const below = { city: 'district', district: 'street', street: 'community' }[level]
    for (const u of units.filter(x => x.level === level)) {
      const children = geo.children(u.code)
      expect(children.length, u.name).toBeGreaterThan(0)
      expect(children.every(c => c.level === below), u.name).toBe(true)
      expect(children.reduce((a, c) => a + c.population, 0), u.name).toBe(u.population)
      const area = children.reduce((a, c) => a + c.areaKm2, 0)
      expect(Math.abs(area - u.areaKm2), `${u.name}: ${area} vs ${u.areaKm2}`).toBeLessThanOrEqual(areaTolerance(children.length))
    }
  })

  it('a community has the population and area of its grid cells', () => {
    const cellsOf = new Map<string, { population: number, area: number, n: number }>()
    for (const c of geo.cells) {
      const s = cellsOf.get(c.community) ?? { population: 0, area: 0, n: 0 }
      s.population += c.population
      s.area += cellArea(c.h3, 'km2')
      s.n += 1
      cellsOf.set(c.community, s)
    }
    for (const u of units.filter(x => x.level === 'community')) {
      const s = cellsOf.get(u.code)
      expect(s?.n, u.name).toBeGreaterThan(0)
      expect(s!.population, u.name).toBe(u.population)
      expect(Math.abs(s!.area - u.areaKm2), u.name).toBeLessThanOrEqual(areaTolerance(0))
    }
    expect(geo.cells.reduce((a, c) => a + c.population, 0)).toBe(geo.info.population)
  })
})
