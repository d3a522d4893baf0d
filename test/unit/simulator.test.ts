import { getResolution, gridDisk, latLngToCell } from 'h3-js'
import { describe, expect, it, vi } from 'vitest'
import { createGenerator, type SimulatorGeo } from '../../server/sources/simulator/generate.js'
import { createSimulator } from '../../server/sources/simulator/index.js'
import { randomPointInCell } from '../../server/sources/simulator/point-in-cell.js'
import { hourShare, hourlyRate } from '../../server/sources/simulator/rates.js'
import { poisson } from '../../server/sources/simulator/sampling.js'
import { mulberry32 } from '../../shared/random.js'
import { incidentInputSchema } from '../../shared/schemas/incident.js'

// A tiny fake city of Chengdu's population: 19 cells, one of them holding most residents.
const cells = gridDisk('8840e3a6d5fffff', 2).map((h3, k) => ({ h3, population: k === 0 ? 11_000_000 : 10_190_000 / 18 }))
const geo: SimulatorGeo = { info: { population: 21_190_000, utcOffsetMinutes: 480 }, cells }
const DAY = 86_400_000
// Tuesday 2026-11-24 00:00 in Chengdu
const TUESDAY = Date.parse('2026-11-23T16:00:00Z')

describe('simulator rates', () => {
  it('spreads each channel over the day exactly once', () => {
    for (const source of ['grid_worker', 'iot_sensor'] as const) {
      const sum = Array.from({ length: 24 }, (_, h) => hourShare(source, h)).reduce((a, b) => a + b, 0)
      expect(sum).toBeCloseTo(1, 10)
    }
    expect(hourShare('grid_worker', 3)).toBeCloseTo(0.009, 3) // ≈ 1 %/h overnight
  })

  it('slows grid-worker patrols at weekends only', () => {
    expect(hourlyRate('grid_worker', 10, 6, 21_190_000) / hourlyRate('grid_worker', 10, 2, 21_190_000)).toBeCloseTo(0.6, 10)
    expect(hourlyRate('hotline_12345', 10, 0, 21_190_000)).toBe(hourlyRate('hotline_12345', 10, 3, 21_190_000))
  })

  it('draws Poisson counts with the right mean', () => {
    const rng = mulberry32(1)
    const draws = Array.from({ length: 20_000 }, () => poisson(3.5, rng))
    expect(draws.reduce((a, b) => a + b, 0) / draws.length).toBeCloseTo(3.5, 1)
  })
})

describe('simulated Chengdu day', () => {
  const events = createGenerator(geo, 42).between(TUESDAY, TUESDAY + DAY)

  it('is deterministic for a seed and independent of how the window is cut', () => {
    const again = createGenerator(geo, 42)
    const halves = [...again.between(TUESDAY, TUESDAY + DAY / 2), ...again.between(TUESDAY + DAY / 2, TUESDAY + DAY)]
    expect(halves.map(e => e.id)).toEqual(events.map(e => e.id))
    expect(createGenerator(geo, 43).between(TUESDAY, TUESDAY + 3_600_000).map(e => e.id)).not.toEqual(events.slice(0, 5).map(e => e.id))
  })

  it('produces thousands of reports a day (≈14k for 21 M residents), each valid, ids unique', () => {
    expect(events.length).toBeGreaterThan(12_500)
    expect(events.length).toBeLessThan(15_500)
    expect(new Set(events.map(e => e.id)).size).toBe(events.length)
    for (const e of events.slice(0, 2000)) expect(incidentInputSchema.safeParse(e).success).toBe(true)
  })

  it('follows the diurnal curve and the channel mix', () => {
    const hourOf = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).getUTCHours()
    const at = (h: number) => events.filter(e => hourOf(e.reportedAt) === h).length
    expect(at(10)).toBeGreaterThan(5 * at(3))
    const share = (s: string) => events.filter(e => e.source === s).length / events.length
    expect(share('grid_worker')).toBeGreaterThan(0.55)
    expect(share('grid_worker')).toBeLessThan(0.7)
    expect(share('hotline_12345')).toBeGreaterThan(0.15)
    expect(share('iot_sensor') + share('video_ai')).toBeGreaterThan(0.05)
  })

  it('spreads reports by population, inside their cells, with reporters only for people who call or use the app', () => {
    const inBig = events.filter(e => latLngToCell(e.lat, e.lon, 8) === cells[0]!.h3).length
    expect(inBig / events.length).toBeGreaterThan(0.45)
    expect(inBig / events.length).toBeLessThan(0.6)
    expect(events.filter(e => e.reporter).every(e => e.source === 'hotline_12345' || e.source === 'citizen_app')).toBe(true)
  })
})

describe('random point in a cell', () => {
  it('stays inside the cell', () => {
    const rng = mulberry32(5)
    for (const { h3 } of cells) {
      for (let k = 0; k < 50; k++) {
        const p = randomPointInCell(h3, rng)
        expect(latLngToCell(p.lat, p.lon, getResolution(h3))).toBe(h3)
      }
    }
  })
})

describe('simulator loop', () => {
  it('sends due events through ingest in batches and stops cleanly', async () => {
    vi.useFakeTimers()
    try {
      let now = TUESDAY + 10 * 3_600_000
      const batches: number[] = []
      // `now` is the app's clock: at SIM_SPEED 60 it moves a simulated minute per real second
      const sim = createSimulator({ geo, seed: 9, speed: 60, now: () => now, tickMs: 200, ingest: async (events) => {
        batches.push(events.length)
        return events.map(e => ({ id: (e as { id: string }).id, status: 'stored' as const }))
      } })
      sim.start()
      for (let k = 0; k < 10; k++) {
        now += 200 * 60
        await vi.advanceTimersByTimeAsync(200)
      }
      await sim.stop()
      // 2 s real at ×60 = 2 simulated minutes at 10:00 ≈ 14k × 4.5/50 / 60 × 2 ≈ 40 events
      expect(sim.generated).toBeGreaterThan(15)
      expect(sim.generated).toBe(batches.reduce((a, b) => a + b, 0))
      expect(batches.every(b => b <= 1000)).toBe(true)
    } finally {
      vi.useRealTimers()
    }
  })
})
