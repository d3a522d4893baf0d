import { beforeAll, describe, expect, it } from 'vitest'
import { getCategory } from '../../shared/categories.js'
import { newIncident } from '../../shared/incident.js'
import type { IncidentInput } from '../../shared/schemas/incident.js'
import { loadCityGeo } from '../../server/geo/city-geo.js'
import { validateEvent } from '../../server/ingest/validate-event.js'
import { replayCase } from '../../server/seed/replay.js'
import { createGenerator } from '../../server/sources/simulator/generate.js'
import { ON_TIME_MAX, ON_TIME_MIN } from '../../server/sources/simulator/performance.js'
import { createPlaces } from '../../server/sources/simulator/places.js'
import { skyAt } from '../../server/sources/simulator/weather.js'

/**
 * The simulator's world without a server: three simulated days of Chengdu (June, the rainy season) from the report
 * generator, each case run through the department model (`replayCase` → `plan`), and the distributions an analyst
 * should be able to find.
 */
const SEED = 20261124
const DAYS = 3
const DAY = 86_400_000
const FROM = Date.parse('2026-06-01T00:00:00+08:00')
const TO = FROM + DAYS * DAY
const geo = loadCityGeo('chengdu')
const localHour = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).getUTCHours()

interface Tally { reports: number, handled: number, onTime: number }
const byDistrict = new Map<string, Tally>()
const byDepartment = new Map<string, Tally>()
const cellsByDay: Map<string, number>[] = Array.from({ length: DAYS }, () => new Map())
const cellsByCategory = new Map<string, Map<string, number>>()
let events: IncidentInput[] = []
let reminded = 0
let escalated = 0

function tally(map: Map<string, Tally>, key: string): Tally {
  let t = map.get(key)
  if (!t) map.set(key, t = { reports: 0, handled: 0, onTime: 0 })
  return t
}

beforeAll(() => {
  events = createGenerator(geo, SEED).between(FROM, TO)
  for (const e of events) {
    const v = validateEvent(e)
    const loc = v.ok ? geo.locate(e.lon, e.lat) : null
    if (!v.ok || !loc) continue
    const day = Math.floor((Date.parse(e.reportedAt) - FROM) / DAY)
    cellsByDay[day]!.set(loc.cell, (cellsByDay[day]!.get(loc.cell) ?? 0) + 1)
    const perCategory = cellsByCategory.get(e.category) ?? new Map<string, number>()
    perCategory.set(loc.cell, (perCategory.get(loc.cell) ?? 0) + 1)
    cellsByCategory.set(e.category, perCategory)
    // every case to its end (a week after the last report), as the live department simulator would run it
    const { incident: i } = replayCase(newIncident(v.input, loc, 0, e.reportedAt), SEED, TO + 7 * DAY, { utcOffsetMinutes: 480 }, null)
    tally(byDistrict, loc.district).reports += 1
    if (i.reminders) reminded += 1
    if (i.escalatedAt) escalated += 1
    if (!i.handledAt || !i.deadline || !i.department) continue
    for (const t of [tally(byDistrict, loc.district), tally(byDepartment, i.department)]) {
      t.handled += 1
      if (i.handledAt <= i.deadline) t.onTime += 1
    }
  }
}, 120_000)

describe('simulated Chengdu, three June days, no server', () => {
  it('keeps deadlines differently by district (75–99.9 %, a real spread) and by department', () => {
    const rates = [...byDistrict.values()].map(t => t.onTime / t.handled)
    expect(rates).toHaveLength(geo.districts.length)
    expect(Math.min(...rates)).toBeLessThan(0.85)
    expect(Math.max(...rates)).toBeGreaterThan(0.95)
    for (const r of rates) {
      expect(r).toBeGreaterThanOrEqual(ON_TIME_MIN - 0.02) // sampling noise around the drawn share
      expect(r).toBeLessThanOrEqual(ON_TIME_MAX)
    }
    const departments = [...byDepartment.values()].filter(t => t.handled > 200).map(t => t.onTime / t.handled)
    expect(Math.max(...departments) - Math.min(...departments)).toBeGreaterThan(0.04)
  })

  it('has the centre remind (催办) and escalate (督办) some cases near or past their deadline, not all', () => {
    expect(reminded / events.length).toBeGreaterThan(0.05)
    expect(reminded / events.length).toBeLessThan(0.4)
    expect(escalated).toBeGreaterThan(0)
    expect(escalated).toBeLessThan(reminded)
  })

  it('reports per resident vary by district beyond population: urban cores above rural counties', () => {
    const per10k = (code: string) => byDistrict.get(code)!.reports / geo.units.get(code)!.population * 1e4 / DAYS
    const values = geo.districts.map(d => per10k(d.code))
    expect(Math.max(...values) / Math.min(...values)).toBeGreaterThan(1.6)
    // 锦江区 (core, 15,600 /km²) against 简阳市 (rural, 540 /km²)
    expect(per10k('510104')).toBeGreaterThan(per10k('510185'))
  })

  it('has hotspots: the same problem in the same cell day after day, among the busiest cells', () => {
    const { hotspots } = createPlaces(geo, SEED)
    expect(hotspots.length).toBeGreaterThanOrEqual(10)
    for (const h of hotspots.filter(x => x.category !== '0406')) {
      // in the busiest 1 % of the city's cells (≈ 250 of 25,000) on most days
      const top = Math.ceil(geo.cells.length / 100)
      const daysInTop = cellsByDay.filter(day => [...day].sort((a, b) => b[1] - a[1]).slice(0, top).some(([cell]) => cell === h.h3)).length
      expect(daysInTop, `hotspot ${h.h3} (${h.category})`).toBeGreaterThanOrEqual(DAYS - 1)
      // the hotspots of a problem lead its map (several hotspots may share one problem)
      const sharing = hotspots.filter(x => x.category === h.category).length
      const forCategory = [...cellsByCategory.get(h.category)!].sort((a, b) => b[1] - a[1]).slice(0, sharing + 1).map(([cell]) => cell)
      expect(forCategory, `hotspot ${h.h3} among the top cells of ${h.category}`).toContain(h.h3)
    }
  })

  it('follows each problem’s hours: 露天烧烤 in the evening, 施工扰民 at night', () => {
    const hours = (code: string) => {
      const h = Array<number>(24).fill(0)
      for (const e of events) if (e.category === code) h[localHour(e.reportedAt)]! += 1
      return h
    }
    const bbq = hours('0510')
    const peak = bbq.indexOf(Math.max(...bbq))
    expect(peak).toBeGreaterThanOrEqual(18)
    expect(peak).toBeLessThanOrEqual(23)
    expect(bbq.slice(18, 24).reduce((a, b) => a + b, 0) / bbq.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.6)
    const noise = hours('0301')
    const night = [22, 23, 0, 1, 2, 3, 4, 5].reduce((a, h) => a + noise[h]!, 0)
    expect(night / noise.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.55)
  })

  it('concentrates 道路积水 in rain spells and the wet hours after them', () => {
    const wet = (ms: number) => skyAt(SEED, ms, 480) !== 'dry'
    let wetMinutes = 0
    for (let t = FROM; t < TO; t += 60_000) if (wet(t)) wetMinutes += 1
    const floods = events.filter(e => e.category === '0406')
    const inWet = floods.filter(e => wet(Date.parse(e.reportedAt))).length / floods.length
    expect(wetMinutes / (DAYS * 1440)).toBeLessThan(0.5)
    expect(inWet).toBeGreaterThan(0.85)
  })

  it('words reports as people see them: varied, rarely naming the category', () => {
    const human = events.filter(e => e.source !== 'iot_sensor' && e.source !== 'video_ai')
    const named = human.filter(e => e.description.includes(getCategory(e.category)!.name)).length
    expect(named / human.length).toBeLessThan(0.1)
    for (const code of ['0102', '0201', '0510']) {
      const texts = new Set(human.filter(e => e.category === code).map(e => e.description))
      expect(texts.size, code).toBeGreaterThan(0.5 * human.filter(e => e.category === code).length)
    }
    // the same seed gives the same words
    expect(createGenerator(geo, SEED).between(FROM, FROM + 3_600_000).map(e => e.description)).toEqual(events.filter(e => Date.parse(e.reportedAt) < FROM + 3_600_000).map(e => e.description))
  })
})
