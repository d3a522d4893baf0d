import { describe, expect, it } from 'vitest'
import { CATEGORIES } from '../../shared/categories.js'
import { indicators, KPI_CATALOGUE } from '../../shared/kpi/catalogue.js'
import { addCounts, type KpiCounts, zeroCounts } from '../../shared/kpi/counts.js'
import { mulberry32 } from '../../shared/random.js'
import type { CaseAction } from '../../shared/workflow/transitions.js'
import { availableActions } from '../../shared/workflow/transitions.js'
import type { KpiArea, KpiGroup } from '../../server/store/repository.js'
import { createEventBus } from '../../server/events/bus.js'
import { createLogger } from '../../server/log.js'
import { createSqliteRepository } from '../../server/store/sqlite/sqlite-repository.js'
import { createCaseService } from '../../server/workflow/case-service.js'
import { makeInput } from '../fixtures/incidents.js'

/**
 * Property test (issue #11): random legal workflows through the real case service on an in-memory store; for every
 * scope and period the counts give 0 ≤ rate ≤ 1 for every rate of the catalogue, and groups sum to their parent.
 */
const HOUR = 3_600_000
const START = Date.parse('2026-11-02T08:00:00+08:00')
const RATES = KPI_CATALOGUE.filter(k => k.unit === 'rate').map(k => k.id)
/** Two districts × two streets × two communities × two cells, made up (the store takes any codes). */
const PLACES = [0, 1].flatMap(d => [0, 1].flatMap(s => [0, 1].flatMap(m => [0, 1].map(c => ({
  district: `51019${d}`, street: `51019${d}00${s}`, community: `51019${d}00${s}00${m}`, cell: `89400000${d}${s}${m}${c}ffff`,
})))))
const ACTIONS_TRIED: readonly CaseAction[] = ['file', 'reject', 'dispatch', 'handle', 'verify-pass', 'verify-fail', 'postpone', 'close', 'remind', 'escalate', 'feedback',
  'self-handle', 'return', 'request-postpone', 'approve-postpone', 'refuse-postpone']

function pick<T>(rng: () => number, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)]!
}

/** Actions applied, over all seeds. */
const applied = new Map<string, number>()

async function workflow(seed: number): Promise<void> {
  const rng = mulberry32(seed)
  const repo = createSqliteRepository({ dataDir: ':memory:' })
  let clock = START
  const cases = createCaseService({ repo, utcOffsetMinutes: 480, now: () => clock, events: createEventBus({ log: createLogger('silent'), now: () => clock }) })
  const ids: string[] = []
  try {
    for (let step = 0; step < 400; step++) {
      clock += Math.floor(rng() * rng() * 20 * HOUR) // mostly short steps, now and then a long one: some deadlines pass
      if (ids.length < 60 && rng() < 0.3) {
        const input = makeInput({
          reportedAt: new Date(clock - Math.floor(rng() * HOUR)).toISOString(), category: pick(rng, CATEGORIES).code,
          source: pick(rng, ['grid_worker', 'hotline_12345', 'citizen_app', 'video_ai'] as const),
        })
        await repo.insertIncidents([{ input, location: pick(rng, PLACES) }], new Date(clock).toISOString())
        ids.push(input.id)
        continue
      }
      if (ids.length === 0) continue
      const current = (await repo.getIncident(pick(rng, ids)))!
      // 自行处置 takes a report out of the case flow: tried now and then, so most cases still reach feedback
      const actions = availableActions(current).filter(a => ACTIONS_TRIED.includes(a) && (a !== 'self-handle' || rng() < 0.15))
      if (actions.length === 0) continue
      let action = pick(rng, actions)
      // a request whose deadline has passed can only be refused (the case service says so with a 409)
      if (action === 'approve-postpone' && current.postponeRequest && Date.parse(current.postponeRequest.deadline) <= clock) action = 'refuse-postpone'
      const extra: Record<string, unknown> = {}
      if (action === 'reject' || action === 'verify-fail' || action === 'postpone' || action === 'return' || action === 'request-postpone' || action === 'refuse-postpone') extra.reason = '测试'
      if (action === 'self-handle') extra.evidence = '现场已清理'
      // a request must ask for more than the deadline it has
      if (action === 'request-postpone') extra.deadline = new Date(Math.max(clock, current.deadline ? Date.parse(current.deadline) : 0) + (1 + Math.floor(rng() * 72)) * HOUR).toISOString()
      if (action === 'postpone') extra.deadline = new Date(clock + (1 + Math.floor(rng() * 72)) * HOUR).toISOString()
      if (action === 'feedback') extra.satisfied = rng() < 0.8
      const outcome = await cases.act(current.id, { action, version: current.version, actor: 'prop', ...extra })
      expect(outcome.ok, `${action} on a ${current.status} case: ${JSON.stringify(outcome)}`).toBe(true)
      applied.set(action, (applied.get(action) ?? 0) + 1)
      if (step % 40 === 39) await checkBounds(repo, clock, rng, `seed ${seed} step ${step}`)
    }
    await checkBounds(repo, clock, rng, `seed ${seed} end`)
  } finally {
    await repo.close()
  }
}

async function checkBounds(repo: ReturnType<typeof createSqliteRepository>, clock: number, rng: () => number, label: string): Promise<void> {
  const nowIso = new Date(clock).toISOString()
  const areas: KpiArea[] = [{}, ...new Set(PLACES.flatMap(p => [`d:${p.district}`, `s:${p.street}`, `m:${p.community}`, `c:${p.cell}`]))]
    .map(a => typeof a === 'string' ? ({ d: { district: a.slice(2) }, s: { street: a.slice(2) }, m: { community: a.slice(2) }, c: { cell: a.slice(2) } })[a[0] as 'd' | 's' | 'm' | 'c'] : a)
  const a = START - HOUR + Math.floor(rng() * (clock - START))
  const periods = [[START - HOUR, clock + 1], [a, a + Math.ceil(rng() * 48) * HOUR], [a, clock + 1]] as const
  for (const [fromMs, toMs] of periods) {
    for (const area of areas) {
      const [row] = await repo.kpiCounts({ area, fromMs, toMs }, nowIso)
      const where = `${label} ${JSON.stringify(area)} [${new Date(fromMs).toISOString()}, ${new Date(toMs).toISOString()})`
      for (const k of indicators(row!.counts)) {
        expect(k.numerator, `${where} ${k.id} numerator`).toBeGreaterThanOrEqual(0)
        if (!(RATES as readonly string[]).includes(k.id)) continue
        expect(k.numerator, `${where} ${k.id}`).toBeLessThanOrEqual(k.denominator!)
        if (k.value !== null) {
          expect(k.value, `${where} ${k.id}`).toBeGreaterThanOrEqual(0)
          expect(k.value, `${where} ${k.id}`).toBeLessThanOrEqual(1)
        }
      }
    }
    // counts are additive: each grouping of the city sums to the city
    const [city] = await repo.kpiCounts({ area: {}, fromMs, toMs }, nowIso)
    for (const g of ['district', 'street', 'community', 'cell', 'department'] as const satisfies readonly KpiGroup[]) {
      const rows = await repo.kpiCounts({ area: {}, fromMs, toMs, groupBy: [g] }, nowIso)
      const sum = rows.reduce((s: KpiCounts, r) => addCounts(s, r.counts), zeroCounts())
      for (const f of Object.keys(sum) as (keyof KpiCounts)[]) expect(sum[f], `${label} by ${g}: ${f}`).toBeCloseTo(city!.counts[f], 6)
    }
  }
}

describe('KPI bounds over random workflows (property test)', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('keeps every rate in [0, 1] for every scope and period (seed %i)', async (seed) => {
    await workflow(seed)
  })

  it('walked through the states the bounds are about', () => {
    for (const a of ['postpone', 'verify-fail', 'close', 'reject', 'feedback', 'remind'] as const) expect(applied.get(a) ?? 0, a).toBeGreaterThan(10)
    // the centre's newer steps: rarer in a random walk, but each must have been taken
    for (const a of ['self-handle', 'return', 'approve-postpone'] as const) expect(applied.get(a) ?? 0, a).toBeGreaterThan(0)
  })
})
