import { describe, expect, it, vi } from 'vitest'
import { createDepartmentSimulator, plan } from '../../server/sources/simulator/departments.js'
import { makeIncident } from '../fixtures/incidents.js'

const NOW = Date.parse('2026-11-24T02:00:00Z')

describe('department simulator plans', () => {
  const many = (patch: Parameters<typeof makeIncident>[0]) => Array.from({ length: 2000 }, (_, k) => plan(makeIncident({ ...patch, id: `c${k}` }), 7, NOW)!)

  it('files about 90 % of reports and rejects the rest, with a reason', () => {
    const steps = many({ status: 'reported' })
    const filed = steps.filter(s => s.action === 'file').length / steps.length
    expect(filed).toBeGreaterThan(0.86)
    expect(filed).toBeLessThan(0.94)
    expect(steps.filter(s => s.action === 'reject').every(s => s.extra.reason)).toBe(true)
  })

  it('handles most dispatched cases before their deadline and some late', () => {
    const deadline = new Date(NOW + 4 * 3_600_000).toISOString()
    const steps = many({ status: 'dispatched', deadline, category: '0102' }).filter(s => s.action === 'handle')
    const late = steps.filter(s => NOW + s.after > Date.parse(deadline)).length / steps.length
    expect(late).toBeGreaterThan(0.08)
    expect(late).toBeLessThan(0.22)
  })

  it('reworks a small share at verification and stops at closed or rejected', () => {
    const steps = many({ status: 'handled' })
    const fails = steps.filter(s => s.action === 'verify-fail').length / steps.length
    expect(fails).toBeGreaterThan(0.003)
    expect(fails).toBeLessThan(0.04)
    expect(plan(makeIncident({ status: 'closed' }), 7, NOW)).toBeNull()
    expect(plan(makeIncident({ status: 'rejected' }), 7, NOW)).toBeNull()
  })

  it('is deterministic per case, step and seed', () => {
    const i = makeIncident({ id: 'same', status: 'reported' })
    expect(plan(i, 3, NOW)).toEqual(plan(i, 3, NOW))
  })
})

describe('department simulator loop', () => {
  it('acts when a step falls due on the app clock (simulated time), with the version it saw', async () => {
    vi.useFakeTimers()
    try {
      let now = NOW
      const act = vi.fn(async () => ({ ok: true as const, incident: makeIncident() }))
      const sim = createDepartmentSimulator({ cases: { act }, seed: 1, now: () => now, tickMs: 100 })
      sim.observe(makeIncident({ id: 'a', status: 'verified', version: 6 }))
      sim.start()
      now += 60_000 // close is due within 2–10 simulated minutes
      await vi.advanceTimersByTimeAsync(200)
      expect(act).not.toHaveBeenCalled()
      now += 600_000
      await vi.advanceTimersByTimeAsync(200)
      expect(act).toHaveBeenCalledWith('a', expect.objectContaining({ action: 'close', version: 6 }))
      expect(sim.pending).toBe(0)
      await sim.stop()
    } finally {
      vi.useRealTimers()
    }
  })
})
