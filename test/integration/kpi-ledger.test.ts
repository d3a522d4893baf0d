import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { threadId } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { CATEGORIES } from '../../shared/categories.js'
import { mulberry32 } from '../../shared/random.js'
import { availableActions, type CaseAction } from '../../shared/workflow/transitions.js'
import { maintainedKpis, type MaintainedKpis } from '../../server/kpis/maintained-kpis.js'
import type { IncidentRepository, KpiArea, KpiCountsRow, KpiGroup } from '../../server/store/repository.js'
import { createEventBus } from '../../server/events/bus.js'
import { createLogger } from '../../server/log.js'
import { createSqliteRepository } from '../../server/store/sqlite/sqlite-repository.js'
import { createCaseService } from '../../server/workflow/case-service.js'
import { makeInput } from '../fixtures/incidents.js'

/**
 * Issue #13: the maintained KPI counts (server/kpis/) equal a fresh scan of the store (`kpiCounts`,
 * the reference) after random legal workflows — for the city, every district and street, every grouping they hold,
 * whole hours, whole days and periods cut inside an hour, while the clock moves deadlines past. One run on a file
 * store (the rebuild and the partial hours read on the read pool), the others in memory.
 */
const HOUR = 3_600_000
const START = Date.parse('2026-11-02T08:00:00+08:00')
const PLACES = [0, 1].flatMap(d => [0, 1].flatMap(s => [0, 1].map(m => ({
  district: `51019${d}`, street: `51019${d}00${s}`, community: `51019${d}00${s}00${m}`, cell: `89400000${d}${s}${m}0ffff`,
}))))
const ACTIONS: readonly CaseAction[] = ['file', 'reject', 'dispatch', 'handle', 'verify-pass', 'verify-fail', 'postpone', 'close', 'remind', 'escalate', 'feedback',
  'self-handle', 'return', 'request-postpone', 'approve-postpone', 'refuse-postpone']
const GROUPINGS: KpiGroup[][] = [[], ['district'], ['street'], ['department'], ['street', 'department'], ['district', 'department'], ['department', 'street']]
const AREAS: KpiArea[] = [{}, ...new Set(PLACES.map(p => p.district))].map(d => typeof d === 'string' ? { district: d } : d)
  .concat([...new Set(PLACES.map(p => p.street))].map(street => ({ street })))

const pick = <T>(rng: () => number, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!
const sorted = (rows: KpiCountsRow[]) => [...rows].sort((a, b) => a.key.join('|').localeCompare(b.key.join('|')))

async function agree(repo: IncidentRepository, kpis: MaintainedKpis, clock: number, rng: () => number, label: string, reported: readonly number[]): Promise<void> {
  const nowIso = new Date(clock).toISOString()
  const cut = START - HOUR + Math.floor(rng() * (clock - START + HOUR)) // anywhere, to the millisecond
  const inside = pick(rng, reported) + 1 // just after a report, inside an hour that (in bursts) holds others
  const periods: [number, number][] = [
    [START - 2 * HOUR, clock + 1], [cut, clock + 1], [cut, cut + Math.ceil(rng() * 30) * HOUR], [cut, cut + Math.floor(rng() * HOUR) + 1],
    [Math.floor(cut / HOUR) * HOUR, Math.floor(cut / HOUR) * HOUR + 24 * HOUR], [inside, clock + 1], [inside - 2 * HOUR, inside],
  ]
  for (const [fromMs, toMs] of periods) {
    for (const area of AREAS) {
      for (const groupBy of GROUPINGS) {
        const q = { area, fromMs, toMs, groupBy }
        const where = `${label} ${JSON.stringify(area)} by ${groupBy.join(',') || '-'} [${new Date(fromMs).toISOString()}, ${new Date(toMs).toISOString()})`
        const a = sorted(await kpis.kpiCounts(q, nowIso))
        const b = sorted(await repo.kpiCounts(q, nowIso))
        expect(a, where).toEqual(b)
      }
    }
  }
}

async function workload(seed: number, dataDir: string): Promise<void> {
  const rng = mulberry32(seed)
  const repo = createSqliteRepository({ dataDir })
  let clock = START
  const cases = createCaseService({ repo, utcOffsetMinutes: 480, now: () => clock, events: createEventBus({ log: createLogger('silent'), now: () => clock }) })
  const ids: string[] = []
  const reported: number[] = []
  // one built at the start (empty), one rebuilt from the store half-way (with changes arriving while it reads)
  const early = maintainedKpis({ repo, utcOffsetMinutes: 480, now: () => clock })
  let late: MaintainedKpis | null = null
  try {
    await early.ready
    for (let step = 0; step < 360; step++) {
      clock += Math.floor(rng() * rng() * 12 * HOUR)
      if (step === 180) late = maintainedKpis({ repo, utcOffsetMinutes: 480, now: () => clock })
      if (ids.length < 50 && rng() < 0.35) {
        // a burst of 1–3 reports within minutes: hours with reports on both sides of a cut
        const at = clock - Math.floor(rng() * 2 * HOUR)
        for (let n = 1 + Math.floor(rng() * 3); n > 0; n--) {
          const ms = at - Math.floor(rng() * 20 * 60_000)
          const input = makeInput({
            reportedAt: new Date(ms).toISOString(), category: pick(rng, CATEGORIES).code,
            source: pick(rng, ['grid_worker', 'hotline_12345', 'citizen_app', 'video_ai'] as const),
          })
          await repo.insertIncidents([{ input, location: pick(rng, PLACES) }], new Date(clock).toISOString())
          ids.push(input.id)
          reported.push(ms)
        }
        continue
      }
      if (ids.length === 0) continue
      const current = (await repo.getIncident(pick(rng, ids)))!
      const actions = availableActions(current).filter(a => ACTIONS.includes(a) && (a !== 'self-handle' || rng() < 0.15))
      if (actions.length === 0) continue
      let action = pick(rng, actions)
      if (action === 'approve-postpone' && current.postponeRequest && Date.parse(current.postponeRequest.deadline) <= clock) action = 'refuse-postpone'
      const extra: Record<string, unknown> = {}
      if (['reject', 'verify-fail', 'postpone', 'return', 'request-postpone', 'refuse-postpone'].includes(action)) extra.reason = '测试'
      if (action === 'self-handle') extra.evidence = '现场已清理'
      if (action === 'request-postpone') extra.deadline = new Date(Math.max(clock, current.deadline ? Date.parse(current.deadline) : 0) + (1 + Math.floor(rng() * 72)) * HOUR).toISOString()
      if (action === 'postpone') extra.deadline = new Date(clock + (1 + Math.floor(rng() * 72)) * HOUR).toISOString()
      if (action === 'feedback') extra.satisfied = rng() < 0.8
      const outcome = await cases.act(current.id, { action, version: current.version, actor: 'prop', ...extra })
      expect(outcome.ok, `${action} on a ${current.status} case`).toBe(true)
      if (step % 60 === 59) await agree(repo, early, clock, rng, `seed ${seed} step ${step}`, reported)
    }
    await late!.ready
    await agree(repo, early, clock, rng, `seed ${seed} end`, reported)
    await agree(repo, late!, clock, rng, `seed ${seed} end, rebuilt half-way`, reported)
    expect(early.stats().ready).toBe(true)
    expect(early.stats().answered).toBeGreaterThan(0)
    // periods cut inside an hour holding reports on both sides were read from the store for that part
    expect(early.stats().slices).toBeGreaterThan(0)
    const pool = repo.readPoolStats?.() ?? null
    if (dataDir !== ':memory:') {
      expect(pool!.lastThreadByTask.kpiLedgerSource, 'rebuilt on a read worker').toBeGreaterThan(0)
      expect(pool!.lastThreadByTask.kpiLedgerSource).not.toBe(threadId)
    } else {
      expect(pool).toBeNull()
    }
    // a clock that goes back cannot be followed: the store answers, and still agrees with itself
    const scanned = early.stats().scanned
    await agree(repo, early, clock - 5 * HOUR, rng, `seed ${seed} clock back`, reported)
    expect(early.stats().scanned).toBeGreaterThan(scanned)
  } finally {
    early.close()
    late?.close()
    await repo.close()
  }
}

describe('maintained KPI counts equal a fresh scan after a random workload', () => {
  it('on a file store (rebuild and partial hours on the read pool)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'citybrain-ledger-'))
    try {
      await workload(101, dir)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)

  it.each([1, 2])('in memory (seed %i)', async (seed) => {
    await workload(seed, ':memory:')
  }, 120_000)
})
