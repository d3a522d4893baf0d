import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFootfallSimulator, demoSensors } from '../../server/greenway/footfall-simulator.js'

const seg = (id: string, tier: string, status: string, lon: number) => ({ id, tier, status, coords: [[lon, 30.6], [lon + 0.01, 30.6]] })

describe('footfall simulator', () => {
  afterEach(() => { vi.useRealTimers() })

  it('puts counters on every third built regional or city segment, the two nearest the centre busiest', () => {
    const segments = [
      seg('a', 'regional', 'built', 104.0), seg('b', 'regional', 'built', 104.5), seg('c', 'regional', 'built', 104.2),
      seg('d', 'city', 'built', 104.1), seg('e', 'community', 'built', 104.0), seg('f', 'regional', 'planned', 104.0),
      seg('g', 'city', 'built', 104.3), seg('h', 'regional', 'built', 103.9),
    ]
    // built non-community, sorted: a b c d g h → every third from the first: a, d
    expect(demoSensors(segments, [104.05, 30.6])).toEqual([
      { sensor: 'ff-a', segment: 'a', perMinute: 110 },
      { sensor: 'ff-d', segment: 'd', perMinute: 110 },
    ])
  })

  it('sends one reading per counter per 5 simulated minutes through the ingest function, counts following the hour', async () => {
    vi.useFakeTimers()
    // 16:00 in Chengdu on a Tuesday: the afternoon peak. `now` is the app's clock: at SIM_SPEED 60, 5 s real = 5 min
    let now = Date.parse('2026-11-24T08:00:00Z')
    const batches: { sensor: string, count: number, at: string }[][] = []
    const sim = createFootfallSimulator({
      sensors: () => [{ sensor: 's1', segment: 'a', perMinute: 100 }, { sensor: 's2', segment: 'b', perMinute: 10 }],
      ingest: async (readings) => {
        batches.push(readings as never)
        return readings.map(() => ({ sensor: null, at: null, status: 'stored' as const }))
      },
      seed: 1, speed: 60, utcOffsetMinutes: 480, now: () => now,
    })
    sim.start()
    for (let k = 0; k < 12; k++) {
      now += 5000 * 60
      await vi.advanceTimersByTimeAsync(5000)
    }
    await sim.stop()
    expect(batches).toHaveLength(12)
    expect(batches[0]!.map(r => r.sensor)).toEqual(['s1', 's2'])
    expect(batches[0]![0]!.at).toBe(new Date(Date.parse('2026-11-24T08:05:00Z')).toISOString())
    // a simulated hour at the peak: ≈ 100 visitors a simulated minute
    const s1 = batches.reduce((a, b) => a + b[0]!.count, 0)
    expect(s1).toBeGreaterThan(4500)
    expect(s1).toBeLessThan(7500)
  })

  it('slices a long simulated span into 5-minute readings (SIM_SPEED 720: an hour per 5 s tick)', async () => {
    vi.useFakeTimers()
    let now = Date.parse('2026-11-24T08:00:00Z')
    const batches: { sensor: string, count: number, at: string }[][] = []
    const sim = createFootfallSimulator({
      sensors: () => [{ sensor: 's1', segment: 'a', perMinute: 100 }],
      ingest: async (readings) => {
        batches.push(readings as never)
        return readings.map(() => ({ sensor: null, at: null, status: 'stored' as const }))
      },
      seed: 1, speed: 720, utcOffsetMinutes: 480, now: () => now,
    })
    sim.start()
    now += 3_600_000
    await vi.advanceTimersByTimeAsync(5000)
    await sim.stop()
    expect(batches).toHaveLength(1)
    expect(batches[0]!.map(r => r.at)).toEqual(Array.from({ length: 12 }, (_, k) => new Date(Date.parse('2026-11-24T08:05:00Z') + k * 300_000).toISOString()))
    expect(Math.max(...batches[0]!.map(r => r.count))).toBeLessThan(800)
  })
})
