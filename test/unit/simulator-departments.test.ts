import { describe, expect, it, vi } from 'vitest'
import { createDepartmentSimulator, handlingTime, plan } from '../../server/sources/simulator/departments.js'
import { onTimeShare } from '../../server/sources/simulator/performance.js'
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

  it('asks callers and app users for a verdict, about 90 % satisfied at every delay (not the unsatisfied ones last)', () => {
    const steps = many({ status: 'closed', source: 'hotline_12345' })
    expect(steps.every(s => s.action === 'feedback')).toBe(true)
    const DAY = 24 * 3_600_000
    const satisfied = (list: typeof steps) => list.filter(s => s.extra.satisfied).length / list.length
    // within the first two days as within the last two: a fresh city's satisfaction is not 100 % for its first days
    const early = steps.filter(s => s.after < 2 * DAY)
    const late = steps.filter(s => s.after >= 2 * DAY)
    expect(early.length).toBeGreaterThan(500)
    expect(late.length).toBeGreaterThan(500)
    for (const share of [satisfied(early), satisfied(late), satisfied(steps)]) {
      expect(share).toBeGreaterThan(0.86)
      expect(share).toBeLessThan(0.94)
    }
    expect(Math.max(...steps.map(s => s.after))).toBeLessThanOrEqual(4 * DAY)
  })

  it('handles a dispatched case on time with the chance its district and department keep (75–99.9 %)', () => {
    const deadline = new Date(NOW + 4 * 3_600_000).toISOString()
    const shares = ['510104', '510185', '510107', '510129'].map((district) => {
      const p = onTimeShare(7, district, '环卫')
      expect(p).toBeGreaterThanOrEqual(0.75)
      expect(p).toBeLessThanOrEqual(0.999)
      const cases = Array.from({ length: 3000 }, (_, k) => makeIncident({ id: `c${k}`, status: 'dispatched', district, department: '环卫', category: '0102', deadline, dispatchedAt: new Date(NOW).toISOString() }))
      const onTime = cases.filter(i => handlingTime(i, 7, NOW).handleAt <= Date.parse(deadline)).length / cases.length
      expect(Math.abs(onTime - p)).toBeLessThan(0.03)
      return p
    })
    expect(Math.max(...shares) - Math.min(...shares)).toBeGreaterThan(0.03)
  })

  it('reminds (催办) some cases as they near the deadline, escalates (督办) some late ones, without redrawing the handling', () => {
    const dispatchedAt = new Date(NOW).toISOString()
    const deadline = new Date(NOW + 10 * 3_600_000).toISOString()
    const cases = Array.from({ length: 3000 }, (_, k) => makeIncident({ id: `r${k}`, status: 'dispatched', district: '510185', category: '0102', deadline, dispatchedAt }))
    const first = cases.map(i => plan(i, 7, NOW)!)
    const reminded = first.filter(s => s.action === 'remind').length / cases.length
    expect(reminded).toBeGreaterThan(0.02)
    expect(reminded).toBeLessThan(0.4)
    // 临期: 20 % of the 10 h left, within 10 minutes
    for (const s of first.filter(x => x.action === 'remind')) expect(s.after).toBeGreaterThanOrEqual(8 * 3_600_000)
    const k = first.findIndex(s => s.action === 'remind')
    const after = cases[k]!
    const then = NOW + first[k]!.after
    const before = handlingTime(after, 7, NOW).handleAt
    const next = plan({ ...after, version: after.version + 1, reminders: 1 }, 7, then)!
    expect(['escalate', 'handle', 'postpone']).toContain(next.action)
    expect(handlingTime({ ...after, version: after.version + 1, reminders: 1 }, 7, then).handleAt).toBe(before)
    expect(first.some(s => s.action === 'escalate')).toBe(true)
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
  it('acts when a step falls due on the app clock (simulated time), with the version it saw', async () => {
    vi.useFakeTimers()
    try {
      let now = NOW
      const actMany = vi.fn(async (items: readonly unknown[]) => items.map(() => ({ ok: true as const, incident: makeIncident() })))
      const sim = createDepartmentSimulator({ cases: { actMany }, seed: 1, now: () => now, tickMs: 100 })
      sim.observe(makeIncident({ id: 'a', status: 'verified', version: 6 }))
      sim.start()
      now += 60_000 // close is due within 2–10 simulated minutes
      await vi.advanceTimersByTimeAsync(200)
      expect(actMany).not.toHaveBeenCalled()
      now += 600_000
      await vi.advanceTimersByTimeAsync(200)
      // written at the tick, stamped at the instant it was planned for
      expect(actMany).toHaveBeenCalledWith([{ id: 'a', at: expect.any(Number), action: expect.objectContaining({ action: 'close', version: 6, actor: 'sim:centre' }) }])
      const at = (actMany.mock.calls[0]![0] as { at: number }[])[0]!.at
      expect(at).toBeGreaterThanOrEqual(NOW + 2 * 60_000)
      expect(at).toBeLessThanOrEqual(NOW + 10 * 60_000)
      expect(sim.acted).toBe(1)
      expect(sim.pending).toBe(0)
      await sim.stop()
    } finally {
      vi.useRealTimers()
    }
  })
})
