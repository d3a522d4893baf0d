import { describe, expect, it, vi } from 'vitest'
import { createDepartmentSimulator, plan } from '../../server/sources/simulator/departments.js'
import { makeIncident } from '../fixtures/incidents.js'

const NOW = Date.parse('2026-11-24T02:00:00Z')

describe('department simulator plans', () => {
  const many = (patch: Parameters<typeof makeIncident>[0]) => Array.from({ length: 2000 }, (_, k) => plan(makeIncident({ ...patch, id: `c${k}` }), 7, NOW)!)

  it('files about 90 % of reports and rejects the rest, with a reason', () => {
    // a hotline report: no grid worker on site to fix it
    const steps = many({ status: 'reported', source: 'hotline_12345' })
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

  it('has grid workers fix about a quarter of their non-urgent reports on the spot, with evidence', () => {
    const steps = many({ status: 'reported', source: 'grid_worker', category: '0102' })
    const self = steps.filter(s => s.action === 'self-handle')
    expect(self.length / steps.length).toBeGreaterThan(0.2)
    expect(self.length / steps.length).toBeLessThan(0.3)
    expect(self.every(s => typeof s.extra.evidence === 'string' && s.extra.evidence.includes('暴露垃圾'))).toBe(true)
    // of the rest, about 90 % are still filed
    const filed = steps.filter(s => s.action === 'file').length / (steps.length - self.length)
    expect(filed).toBeGreaterThan(0.86)
    expect(filed).toBeLessThan(0.94)
    expect(many({ status: 'reported', source: 'grid_worker', category: '0403' }).some(s => s.action === 'self-handle')).toBe(false)
  })

  it('returns 2–5 % of first dispatches with a reason, never a reworked or already returned case', () => {
    const deadline = new Date(NOW + 4 * 3_600_000).toISOString()
    const returned = many({ status: 'dispatched', deadline }).filter(s => s.action === 'return')
    expect(returned.length / 2000).toBeGreaterThan(0.02)
    expect(returned.length / 2000).toBeLessThan(0.05)
    expect(returned.every(s => s.extra.reason)).toBe(true)
    expect(many({ status: 'dispatched', deadline, returnCount: 1 }).some(s => s.action === 'return')).toBe(false)
    expect(many({ status: 'dispatched', deadline, reworkCount: 1 }).some(s => s.action === 'return')).toBe(false)
  })

  it('has departments ask for more time rarely, later than the deadline, and the centre approve most requests', () => {
    const deadline = new Date(NOW + 4 * 3_600_000).toISOString()
    const asks = many({ status: 'dispatched', deadline }).filter(s => s.action === 'request-postpone')
    expect(asks.length).toBeGreaterThan(0)
    expect(asks.length / 2000).toBeLessThan(0.015)
    expect(asks.every(s => Date.parse(s.extra.deadline as string) > Date.parse(deadline) && s.extra.reason)).toBe(true)
    const answers = many({ status: 'dispatched', deadline, postponeRequest: { deadline: new Date(NOW + 52 * 3_600_000).toISOString(), reason: '等待配件', at: new Date(NOW).toISOString() } })
    const approved = answers.filter(s => s.action === 'approve-postpone').length / answers.length
    expect(approved).toBeGreaterThan(0.8)
    expect(approved).toBeLessThan(0.9)
    expect(answers.filter(s => s.action === 'refuse-postpone').every(s => s.extra.reason)).toBe(true)
    expect(answers.every(s => s.action === 'approve-postpone' || s.action === 'refuse-postpone')).toBe(true)
  })

  it('is deterministic per case, step and seed', () => {
    const i = makeIncident({ id: 'same', status: 'reported' })
    expect(plan(i, 3, NOW)).toEqual(plan(i, 3, NOW))
  })
})

describe('department simulator loop', () => {
  it('acts when a step falls due, with the version it saw, scaled by speed', async () => {
    vi.useFakeTimers()
    try {
      let now = NOW
      const act = vi.fn(async () => ({ ok: true as const, incident: makeIncident() }))
      const sim = createDepartmentSimulator({ cases: { act }, seed: 1, speed: 60, now: () => now, tickMs: 100 })
      sim.observe(makeIncident({ id: 'a', status: 'verified', version: 6 }))
      sim.start()
      now += 1000 // close is due within 2–10 simulated minutes = 2–10 s real at ×60
      await vi.advanceTimersByTimeAsync(200)
      expect(act).not.toHaveBeenCalled()
      now += 10_000
      await vi.advanceTimersByTimeAsync(200)
      expect(act).toHaveBeenCalledWith('a', expect.objectContaining({ action: 'close', version: 6 }))
      expect(sim.pending).toBe(0)
      await sim.stop()
    } finally {
      vi.useRealTimers()
    }
  })
})
