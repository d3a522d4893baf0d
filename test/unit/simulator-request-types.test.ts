import { gridDisk } from 'h3-js'
import { describe, expect, it } from 'vitest'
import { createGenerator, type SimulatorGeo } from '../../server/sources/simulator/generate.js'
import { incidentInputSchema, REQUEST_TYPES } from '../../shared/schemas/incident.js'

// The 12345 request types of simulated hotline reports against the published mix (DOMAIN.md §5).
const cells = gridDisk('8840e3a6d5fffff', 1).map(h3 => ({ h3, population: 3_000_000 }))
const geo: SimulatorGeo = { info: { population: 21_000_000, utcOffsetMinutes: 480 }, cells }
const TUESDAY = Date.parse('2026-11-23T16:00:00Z')

describe('simulated 12345 request types', () => {
  const events = createGenerator(geo, 42).between(TUESDAY, TUESDAY + 2 * 86_400_000)
  const hotline = events.filter(e => e.source === 'hotline_12345')

  it('types every hotline report and no other, each valid by the schema', () => {
    expect(hotline.length).toBeGreaterThan(3000)
    expect(hotline.every(e => e.requestType !== undefined && REQUEST_TYPES.includes(e.requestType))).toBe(true)
    expect(events.filter(e => e.source !== 'hotline_12345').every(e => e.requestType === undefined)).toBe(true)
    for (const e of events.slice(0, 500)) expect(incidentInputSchema.safeParse(e).success).toBe(true)
  })

  it('follows the published mix: 咨询 47–64 %, 求助 ~30 %, 建议 1–15 %, 投诉 1–7 %', () => {
    const share = (t: string) => hotline.filter(e => e.requestType === t).length / hotline.length
    expect(share('consult')).toBeGreaterThan(0.47)
    expect(share('consult')).toBeLessThan(0.64)
    expect(share('help')).toBeGreaterThan(0.25)
    expect(share('help')).toBeLessThan(0.35)
    expect(share('suggest')).toBeGreaterThan(0.01)
    expect(share('suggest')).toBeLessThan(0.15)
    expect(share('complain')).toBeGreaterThan(0.01)
    expect(share('complain')).toBeLessThan(0.07)
  })
})
