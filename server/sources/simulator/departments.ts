import { getCategory } from '../../../shared/categories.js'
import type { Incident } from '../../../shared/incident.js'
import { mulberry32 } from '../../../shared/random.js'
import { NEAR_MIN_MS, NEAR_SHARE } from '../../../shared/workflow/deadline.js'
import { canSelfHandle, type CaseAction } from '../../../shared/workflow/transitions.js'
import { nominalLimitHours } from '../../calendar/index.js'
import type { EventBus } from '../../events/bus.js'
import type { CaseService } from '../../workflow/case-service.js'
import { DueQueue } from '../../time/due-queue.js'
import { draw, onTimeShare } from './performance.js'

const MIN = 60_000
/** Most wall-clock time one tick may spend acting (the tick runs every 500 ms). */
const TICK_BUDGET_MS = 100
/** Steps written per commit. */
const BATCH = 250

export interface DepartmentSimOptions {
  cases: Pick<CaseService, 'actMany'>
  seed: number
  /** The app's clock: simulated time at SIM_SPEED, so steps fall due on the same clock as deadlines and alarms. */
  now?: () => number
  tickMs?: number
  log?: (msg: string) => void
}

interface Due { at: number, id: string, version: number, action: CaseAction, extra: Record<string, string | boolean> }

/** A number in [0, 1) fixed by the case, the step and the seed, so a replay makes the same decisions. */
function chance(seed: number, id: string, step: number): number {
  let h = seed ^ step
  for (let k = 0; k < id.length; k++) h = Math.imul(h ^ id.charCodeAt(k), 16777619)
  return mulberry32(h)()
}

/** Who plays a step (simulated actors are "sim:…"): departments handle, return and ask for time; citizens judge. */
export function actorOf(action: CaseAction): string {
  if (action === 'handle' || action === 'return' || action === 'request-postpone') return 'sim:department'
  if (action === 'self-handle') return 'sim:grid-worker'
  return action === 'feedback' ? 'sim:citizen' : 'sim:centre'
}

/** Shares of the centre's newer steps (a second draw, so the older decisions keep their odds). */
const SELF_HANDLE_SHARE = 0.25 // of grid workers' reports they may fix themselves
const RETURN_SHARE = 0.035 // of first dispatches: mis-dispatched, returned (准确派遣率 ~96.5 %)
const REQUEST_POSTPONE_SHARE = 0.005 // of dispatched cases (postponement is rare)
const APPROVE_SHARE = 0.85 // of requests

/**
 * What happens next to a case, and when (simulated ms after now), as the centre, departments and verifiers would do
 * it (DOMAIN.md §5 outcomes: 立案率 85–95 %, 按期 75–99.9 % by district and department, rework ~1 %, postponement rare).
 */
export function plan(i: Incident, seed: number, nowMs: number): Omit<Due, 'at' | 'id' | 'version'> & { after: number } | null {
  const r = chance(seed, i.id, i.version)
  const q = chance(seed, i.id, i.version + 0x10000)
  // a proposed duplicate waits for an operator to confirm; if none does, the centre merges it after a while
  if (i.duplicateOf && (i.status === 'reported' || i.status === 'filed')) return { action: 'merge', extra: {}, after: (20 + r * 20) * MIN }
  switch (i.status) {
    case 'reported':
      if (q < SELF_HANDLE_SHARE && canSelfHandle({ source: i.source, urgent: getCategory(i.category)?.urgent ?? false })) {
        return { action: 'self-handle', extra: { evidence: `网格员已现场处置（${getCategory(i.category)?.name ?? i.category}），拍照留证` }, after: (5 + q * 80) * MIN }
      }
      return r < 0.9 ? { action: 'file', extra: {}, after: (2 + r * 15) * MIN } : { action: 'reject', extra: { reason: '经核实不属于受理范围' }, after: 10 * MIN }
    case 'filed':
      return { action: 'dispatch', extra: {}, after: (1 + r * 9) * MIN }
    case 'dispatched': {
      // the centre answers a department's request for more time
      if (i.postponeRequest) {
        return q < APPROVE_SHARE ? { action: 'approve-postpone', extra: {}, after: (20 + q * 60) * MIN } : { action: 'refuse-postpone', extra: { reason: '可在时限内完成，不予延期' }, after: (20 + q * 60) * MIN }
      }
      if (q < RETURN_SHARE && !i.returnCount && !i.reworkCount) return { action: 'return', extra: { reason: '非本部门职责，请中心重新派遣' }, after: (15 + q * 1000) * MIN }
      if (r < REQUEST_POSTPONE_SHARE) {
        const from = Math.max(nowMs + 30 * MIN, i.deadline ? Date.parse(i.deadline) : 0)
        return { action: 'request-postpone', extra: { reason: '需协调多部门处置', deadline: new Date(from + 48 * 60 * MIN).toISOString() }, after: 30 * MIN }
      }
      return pressOrHandle(i, seed, nowMs)
    }
    case 'postponed':
      return { action: 'handle', extra: {}, after: (6 + r * 24) * 60 * MIN }
    case 'handled':
      return r < 0.985 ? { action: 'verify-pass', extra: {}, after: (10 + r * 50) * MIN } : { action: 'verify-fail', extra: { reason: '现场核查未整改到位' }, after: 30 * MIN }
    case 'verified':
      return { action: 'close', extra: {}, after: (2 + r * 8) * MIN }
    case 'closed':
      // citizens who phoned or used the app are asked for their verdict (DOMAIN.md §5: 85–95 % satisfied, ~4 days)
      if (i.feedback || (i.source !== 'hotline_12345' && i.source !== 'citizen_app')) return null
      // the verdict and its delay from separate draws: from one, every 不满意 came last (after 3.65 days), so the
      // satisfaction of recent cases, and of a fresh city's first days, read 100 %
      return { action: 'feedback', extra: { satisfied: r < 0.9 }, after: (0.5 + q * 3.5) * 24 * 60 * MIN }
    case 'rejected':
    case 'merged':
      return null
  }
}

/**
 * When the department handles a dispatched case: before the deadline with the chance its district and department
 * keep (performance.ts), else late by up to one time limit. Drawn from the dispatch (not the version), so a 催办 or
 * 督办 in between does not redraw it; a 督办 makes a late department act within a few hours.
 */
export function handlingTime(i: Incident, seed: number, nowMs: number): { handleAt: number, deadline: number, start: number } {
  const category = getCategory(i.category)
  const limit = nominalLimitHours(category?.timeLimit) * 60 * MIN
  const start = i.dispatchedAt ? Date.parse(i.dispatchedAt) : nowMs
  const deadline = i.deadline ? Date.parse(i.deadline) : nowMs + limit
  const p = onTimeShare(seed, i.district, i.department ?? category?.department ?? '')
  const u = draw(seed, `handle:${i.id}:${i.dispatchedAt ?? ''}:${i.reworkCount ?? 0}`)
  let handleAt = u < p ? deadline - limit * (0.1 + 0.7 * (u / p)) : deadline + limit * (0.05 + 0.95 * ((u - p) / (1 - p)) ** 2)
  if (i.escalatedAt) handleAt = Math.min(handleAt, Date.parse(i.escalatedAt) + (30 + 150 * draw(seed, `hurry:${i.id}`)) * MIN)
  return { handleAt: Math.max(handleAt, start + 5 * MIN, nowMs), deadline, start }
}

/** Share of cases at risk that the centre reminds (催办) as they turn 临期, and escalates (督办) once overdue. */
const REMIND_SHARE = 0.5
const ESCALATE_SHARE = 0.6

/** The next step of a dispatched case: a 催办 or 督办 from the centre if it is due first, else the handling. */
function pressOrHandle(i: Incident, seed: number, nowMs: number): Omit<Due, 'at' | 'id' | 'version'> & { after: number } {
  const { handleAt, deadline, start } = handlingTime(i, seed, nowMs)
  const nearAt = deadline - Math.max(NEAR_MIN_MS, (deadline - start) * NEAR_SHARE) + 10 * MIN * draw(seed, `near:${i.id}`)
  if (!i.reminders && !i.escalatedAt && nowMs < nearAt && handleAt > nearAt && draw(seed, `remind:${i.id}`) < REMIND_SHARE) {
    return { action: 'remind', extra: { note: '临期催办：请加快处置' }, after: nearAt - nowMs }
  }
  const escalateAt = deadline + (30 + 90 * draw(seed, `escalate-at:${i.id}`)) * MIN
  if (!i.escalatedAt && nowMs < escalateAt && handleAt > escalateAt && draw(seed, `escalate:${i.id}`) < ESCALATE_SHARE) {
    return { action: 'escalate', extra: { note: '超期督办：请立即处置并反馈' }, after: escalateAt - nowMs }
  }
  return { action: 'handle', extra: {}, after: handleAt - nowMs }
}

/**
 * The simulator's centre, departments and verifiers: each case seen (new or changed) gets its next step scheduled;
 * due steps go through the same case service as operators, with the version seen. If an operator acted first, the
 * step is stale and dropped, and the operator's change schedules the next one.
 */
export function createDepartmentSimulator(opts: DepartmentSimOptions) {
  const now = opts.now ?? Date.now
  const queue = new DueQueue<Due>()
  let timer: NodeJS.Timeout | null = null
  let running: Promise<void> = Promise.resolve()
  let acted = 0

  // the planned instants of the steps being written: the next step is planned from there, not from the moment the
  // write happened, so a server that runs behind at high SIM_SPEED does not add its lag to every case
  const stepAt = new Map<string, number>()

  function observe(i: Incident): void {
    const base = stepAt.get(i.id) ?? now()
    stepAt.delete(i.id)
    const next = plan(i, opts.seed, base)
    if (!next) {
      queue.delete(i.id)
      return
    }
    queue.set({ at: base + next.after, id: i.id, version: i.version, action: next.action, extra: next.extra })
  }

  async function tick(): Promise<void> {
    const t = now()
    const due = queue.takeDue(t, 5000)
    const budgetEnd = Date.now() + TICK_BUDGET_MS
    for (let k = 0; k < due.length; k += BATCH) {
      // steps are written a batch per commit; at high SIM_SPEED there may still be more than the disk takes, so cap
      // the time spent per tick and leave the rest for later: the server stays responsive and cases just run late
      if (Date.now() > budgetEnd) {
        for (const late of due.slice(k)) if (!queue.has(late.id)) queue.set(late)
        break
      }
      const batch = due.slice(k, k + BATCH)
      for (const d of batch) stepAt.set(d.id, d.at)
      const outcomes = await opts.cases.actMany(batch.map(d => ({ id: d.id, at: d.at, action: { action: d.action, version: d.version, actor: actorOf(d.action), ...d.extra } })))
      for (const d of batch) stepAt.delete(d.id)
      acted += outcomes.filter(o => o.ok).length
    }
  }

  return {
    observe,
    start() {
      timer ??= setInterval(() => {
        running = running.then(tick).catch((err: unknown) => opts.log?.(`department simulator: ${String(err)}`))
      }, opts.tickMs ?? 500)
    },
    async stop() {
      if (timer) clearInterval(timer)
      timer = null
      await running
    },
    get pending() { return queue.size },
    get acted() { return acted },
  }
}

export type DepartmentSimulator = ReturnType<typeof createDepartmentSimulator>

/** The departments plan their next step for every new report and every step taken (their own included). */
export function subscribeDepartments(bus: Pick<EventBus, 'subscribe'>, departments: Pick<DepartmentSimulator, 'observe'>): void {
  bus.subscribe('report.stored', 'simulator:departments', ({ incidents }) => { for (const i of incidents) departments.observe(i) })
  bus.subscribe('case.changed', 'simulator:departments', ({ incident }) => departments.observe(incident))
}
