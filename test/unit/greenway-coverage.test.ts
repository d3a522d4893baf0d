import { describe, expect, it } from 'vitest'
import { CoverageModel } from '../../server/greenway/coverage/coverage-model.js'
import { greenwayBand, kmPer10k, requiredMask, requiredReached } from '../../shared/greenway/coverage.js'
import { gridInput } from '../fixtures/greenway-grid.js'

// Distances to the line (hand-computed): columns 0–2 lie over it, so row r is r × 400 m away → bands 0, 0, 1, 2;
// column 3 (x = 1,650 m) is past its end: 450, 602, 918, 1,282 m → bands 0, 1, 1, 2.
// Population 4,240; within 500 m: 100+110+200+210+300+310+400 = 1,630; within 1,000 m: all but row 3
// (130+230+330+430 = 1,120) = 3,120.

describe('greenway coverage on a hand-computed grid', () => {
  const model = new CoverageModel(gridInput())

  it('computes the city shares, uncovered residents and km per 10k', () => {
    expect(model.cityRow()).toMatchObject({
      code: '9', level: 'city', population: 4240,
      greenway500: 0.3844, // 1,630 / 4,240
      greenway1000: 0.7358, // 3,120 / 4,240
      uncovered1000: 1120,
      builtKm: 1.2,
      kmPer10k: 2.83, // 1.2 km / 0.424 × 10k residents
    })
  })

  it('computes communities, streets and districts', () => {
    expect(model.row('community', 'C1')).toMatchObject({ population: 1320, greenway500: 0.4697, greenway1000: 0.7273, builtKm: 0.9, kmPer10k: 6.818 })
    expect(model.row('community', 'C2')).toMatchObject({ population: 1420, greenway500: 0.7113, greenway1000: 1, builtKm: 0.3 })
    expect(model.row('community', 'C3')).toMatchObject({ population: 1500, greenway500: 0, greenway1000: 0.4933, uncovered1000: 760, builtKm: 0 })
    // S1 = C1 + C2: (620 + 1,010) / 2,740 within 500 m, (960 + 1,420) / 2,740 within 1,000 m
    expect(model.row('street', 'S1')).toMatchObject({ population: 2740, greenway500: 0.5949, greenway1000: 0.8686, builtKm: 1.2 })
    expect(model.rows('district').map(r => [r.code, r.population, r.greenway1000])).toEqual([['D1', 2740, 0.8686], ['D2', 1500, 0.4933]])
    expect(model.rows('community', 'S1').map(r => r.code)).toEqual(['C1', 'C2'])
  })

  it('computes the 15-minute service circle per type and for all required types at once', () => {
    // station at (0, 1,250): c0 rows 1–3, c1 rows 2–3 → 810; clinic-1 at (1,650, 0): c2, c3 rows 0–2 → 2,160;
    // clinic-2 is only planned. Nobody has both.
    expect(model.cityRow().service).toMatchObject({ station: 0.191, clinic: 0.5094, school: 0, park: 0, elderly: 0 })
    expect(model.cityRow().serviceAll).toBe(0)
  })

  it('updates incrementally when a facility opens, equal to a full computation', () => {
    const m = new CoverageModel(gridInput())
    m.drainChanges()
    m.setFacilityStatus('clinic-2', 'open') // (600, 600) reaches columns 0–2, every row
    expect(m.cityRow().service.clinic).toBe(0.8986) // (460 + 860 + 1,260 + 400 + 410 + 420) / 4,240
    expect(m.cityRow().serviceAll).toBe(0.191) // every station cell now has a clinic too
    const fresh = new CoverageModel(gridInput({ clinic2: 'open' }))
    expect(m.rows('community')).toEqual(fresh.rows('community'))
    const changes = m.drainChanges()
    expect(changes.facilities.map(f => [f.id, f.status])).toEqual([['clinic-2', 'open']])
    // C2's cells near clinic-2 already had clinic-1 within reach: only C1 and C3 changed
    expect(changes.communities.map(r => r.code)).toEqual(['C1', 'C3'])
  })

  it('updates incrementally when the segment is no longer built, and back', () => {
    const m = new CoverageModel(gridInput())
    m.drainChanges()
    expect(m.setSegmentStatus('line', 'under_construction')).toBe(true)
    expect(m.cityRow()).toMatchObject({ greenway500: 0, greenway1000: 0, uncovered1000: 4240, builtKm: 0, kmPer10k: 0 })
    expect(m.rows('street')).toEqual(new CoverageModel(gridInput({ lineStatus: 'under_construction' })).rows('street'))
    const changes = m.drainChanges()
    expect(changes.segments).toEqual([{ id: 'line', status: 'under_construction' }])
    expect(changes.districts.map(r => r.code)).toEqual(['D1', 'D2'])
    expect(m.setSegmentStatus('line', 'under_construction')).toBe(false)
    m.setSegmentStatus('line', 'built')
    expect(m.rows('community')).toEqual(model.rows('community'))
    expect(m.summary().km.city).toEqual({ built: 1.2, under_construction: 0, planned: 0 })
  })

  it('refuses unknown ids', () => {
    expect(() => model.setSegmentStatus('nope', 'built')).toThrow(/unknown segment/)
    expect(() => model.setFacilityStatus('nope', 'open')).toThrow(/unknown facility/)
  })
})

describe('coverage helpers', () => {
  it('bands distances at 500 and 1,000 m inclusive', () => {
    expect([0, 500, 500.1, 1000, 1000.1, Infinity].map(greenwayBand)).toEqual([0, 0, 1, 1, 2, 2])
  })

  it('counts required types reached', () => {
    const req = requiredMask(['station', 'clinic', 'park'])
    expect(requiredReached(0b11111, req)).toBe(3)
    expect(requiredReached(0b00010, req)).toBe(1)
    expect(kmPer10k(5, 0)).toBe(0)
    expect(kmPer10k(5, 50_000)).toBe(1)
  })
})
