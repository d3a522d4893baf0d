import { getCategory } from '../../shared/categories.js'
import { type Incident, type IncidentSummary, toSummary } from '../../shared/incident.js'
import { type CaseActionInput, caseActionSchema } from '../../shared/schemas/case-action.js'
import { type ErrorDetail, issuesToDetails } from '../../shared/schemas/errors.js'
import { availableActions, canSelfHandle, type CaseAction, nextStatus } from '../../shared/workflow/transitions.js'
import type { CaseAuditRepository, CaseChange, CaseChangeOutcome, CaseRepository } from '../store/repository.js'
import { deadlineFor } from '../calendar/index.js'
import type { EventBus } from '../events/bus.js'
import { actorKindOf } from '../events/domain-events.js'

export type ActionOutcome =
  | { ok: true, incident: Incident }
  | { ok: false, status: 400 | 404 | 409, error: string, details?: ErrorDetail[], current?: IncidentSummary, allowed?: CaseAction[] }

export interface CaseServiceDeps {
  repo: CaseRepository & CaseAuditRepository
  utcOffsetMinutes: number
  now: () => number
  /** Told `case.changed` after each committed step. */
  events: Pick<EventBus, 'publish'>
}

/** Public reports get a citizen's verdict once closed (群众满意率). */
const PUBLIC_SOURCES = new Set(['hotline_12345', 'citizen_app'])
/** Who proposes duplicates (a machine: its steps ride the regular delta batches). */
const DEDUPE_ACTOR = 'system:dedupe'

type Refusal = Extract<ActionOutcome, { ok: false }>
/** How far back a machine step may be stamped at its planned instant (actMany). */
const MAX_STEP_DELAY_MS = 86_400_000
const bad = (path: string, message: string): Refusal => ({ ok: false, status: 400, error: 'invalid action', details: [{ path, message: `${path}: ${message}` }] })

/**
 * The one way a case moves (HTTP, Socket.IO and the simulator's departments all call `act`): validate the action,
 * check the transition is legal in the case's state, then write it guarded by the version the actor saw.
 */
export function createCaseService(deps: CaseServiceDeps) {
  async function act(id: string, raw: unknown): Promise<ActionOutcome> {
    const prepared = await prepare(id, raw)
    return 'change' in prepared ? apply(prepared.change) : prepared
  }

  /**
   * Many machine steps (the simulator's departments at high SIM_SPEED): each checked exactly as `act` checks it,
   * then all written in one commit, so a durable commit per step does not cap how fast simulated cases move. A step
   * may carry the simulated instant it was planned for (`at`, at most a day back, never ahead): a busy server that
   * writes it a few ticks late does not make the simulated department late.
   */
  async function actMany(items: readonly { id: string, action: unknown, at?: number }[]): Promise<ActionOutcome[]> {
    const outcomes: ActionOutcome[] = new Array(items.length)
    const changes: CaseChange[] = []
    const slots: number[] = []
    for (const [k, item] of items.entries()) {
      const prepared = await prepare(item.id, item.action, item.at)
      if ('change' in prepared) {
        changes.push(prepared.change)
        slots.push(k)
      } else {
        outcomes[k] = prepared
      }
    }
    const applied = changes.length > 0 ? await deps.repo.applyCaseChanges(changes) : []
    applied.forEach((outcome, j) => { outcomes[slots[j]!] = settle(changes[j]!, outcome) })
    return outcomes
  }

  /** An action checked against the stored case: the change to write, or why not. */
  async function prepare(id: string, raw: unknown, atMs?: number): Promise<{ change: CaseChange } | Refusal> {
    const parsed = caseActionSchema.safeParse(raw)
    if (!parsed.success) return { ok: false, status: 400, error: 'invalid action', details: issuesToDetails(parsed.error) }
    const input = parsed.data
    const current = await deps.repo.getIncident(id)
    if (!current) return { ok: false, status: 404, error: `no incident with id ${id}` }
    const to = nextStatus(current.status, input.action)
    if (!to) {
      return { ok: false, status: 409, error: `cannot ${input.action} a case that is ${current.status}`, current: toSummary(current), allowed: availableActions(current) }
    }
    if (current.version !== input.version) return stale(current)
    const now = atMs === undefined ? deps.now() : Math.min(deps.now(), Math.max(atMs, deps.now() - MAX_STEP_DELAY_MS))
    const at = new Date(now).toISOString()
    const change: CaseChange = { id, expectedVersion: input.version, to, at, actor: input.actor, action: input.action, note: input.reason ?? input.note }
    const refused = await fill(change, input, current, now)
    return refused ?? { change }
  }

  /** Action-specific bookkeeping and checks that need the stored case; a refusal is returned, nothing written. */
  async function fill(change: CaseChange, input: CaseActionInput, current: Incident, now: number): Promise<Refusal | null> {
    switch (input.action) {
      case 'file':
        change.filedAt = change.at
        return null
      case 'dispatch': {
        const category = getCategory(current.category)
        change.department = input.department ?? category?.department
        change.dispatchedAt = change.at
        // a re-dispatch starts afresh: its own assisting departments, and no request left over from the last department
        change.assisting = (input.assisting ?? category?.assisting ?? []).filter(a => a !== change.department)
        if (current.postponeRequest) change.postponeRequest = null
        if (change.assisting.length > 0 && !change.note) change.note = `主办 ${change.department ?? ''}，协办 ${change.assisting.join('、')}`
        if (category) change.deadline = new Date(deadlineFor(now, category.timeLimit, deps.utcOffsetMinutes)).toISOString()
        return null
      }
      case 'handle':
        change.handledAt = change.at
        return null
      case 'close':
        change.closedAt = change.at
        return null
      case 'postpone': {
        const deadline = Date.parse(input.deadline!)
        if (deadline <= now) return bad('deadline', 'the new deadline must be in the future')
        // stored as UTC so that deadlines compare as text
        change.deadline = new Date(deadline).toISOString()
        change.postponed = true
        // the centre's own decision answers any request the department made
        if (current.postponeRequest) change.postponeRequest = null
        return null
      }
      case 'verify-fail':
        change.rework = true
        // rework is handled again later: the first handling time must not count the case as on time
        change.clearHandled = true
        return null
      case 'self-handle':
        return fillSelfHandle(change, input, current)
      case 'return':
        change.returned = true
        return null
      case 'request-postpone': {
        if (current.postponeRequest) return conflict(current, 'a postponement request is already pending')
        const deadline = Date.parse(input.deadline!)
        if (deadline <= now) return bad('deadline', 'the requested deadline must be in the future')
        if (current.deadline && deadline <= Date.parse(current.deadline)) return bad('deadline', `the requested deadline must be later than the current one (${current.deadline})`)
        change.postponeRequest = { deadline: new Date(deadline).toISOString(), reason: input.reason!, at: change.at }
        return null
      }
      case 'approve-postpone': {
        const request = current.postponeRequest
        if (!request) return conflict(current, 'no postponement request is pending')
        if (Date.parse(request.deadline) <= now) return conflict(current, 'the requested deadline has already passed: refuse it and let the department ask again')
        change.deadline = request.deadline
        change.postponed = true
        change.postponeRequest = null
        change.note = input.note ?? `同意延期至 ${request.deadline}（${request.reason}）`
        return null
      }
      case 'refuse-postpone':
        if (!current.postponeRequest) return conflict(current, 'no postponement request is pending')
        change.postponeRequest = null
        return null
      case 'remind':
        change.reminder = true
        return null
      case 'escalate':
        change.escalatedAt = change.at
        return null
      case 'merge':
        return fillMerge(change, input, current)
      case 'dismiss-duplicate':
        if (!current.duplicateOf) return conflict(current, 'the case has no duplicate proposal')
        change.duplicateOf = null
        return null
      case 'feedback':
        if (!PUBLIC_SOURCES.has(current.source)) return conflict(current, 'feedback is for public reports (12345 hotline, citizen app) only')
        if (current.feedback) return conflict(current, 'feedback was already given')
        change.feedback = input.satisfied ? 'satisfied' : 'unsatisfied'
        return null
      case 'comment':
      case 'reject':
      case 'verify-pass':
        return null
    }
  }

  /** 自行处置: closed at once with what was done as the audit note; no filing, dispatch or handling clock. */
  function fillSelfHandle(change: CaseChange, input: CaseActionInput, current: Incident): Refusal | null {
    if (!canSelfHandle({ source: current.source, urgent: getCategory(current.category)?.urgent ?? false })) {
      return conflict(current, 'self-handle is for grid workers\' own reports of non-urgent categories')
    }
    change.selfHandled = true
    change.closedAt = change.at
    change.evidencePhoto = input.photoUrl
    change.note = input.evidence
    return null
  }

  async function fillMerge(change: CaseChange, input: CaseActionInput, current: Incident): Promise<Refusal | null> {
    const into = input.into ?? current.duplicateOf
    if (!into) return bad('into', 'required: the case this report repeats (no proposal to take it from)')
    if (into === current.id) return bad('into', 'a case cannot be merged into itself')
    const target = await deps.repo.getIncident(into)
    if (!target) return bad('into', `no incident with id ${into}`)
    if (target.status === 'merged') return bad('into', `${into} was itself merged into ${target.mergedInto}`)
    change.mergedInto = into
    change.duplicateOf = null
    change.note = input.note ?? `合并到 ${into}`
    return null
  }

  async function apply(change: CaseChange): Promise<ActionOutcome> {
    return settle(change, await deps.repo.applyCaseChange(change))
  }

  function settle(change: CaseChange, outcome: CaseChangeOutcome): ActionOutcome {
    if (outcome.kind === 'not-found') return { ok: false, status: 404, error: `no incident with id ${change.id}` }
    if (outcome.kind === 'stale') return stale(outcome.current)
    deps.events.publish('case.changed', { incident: outcome.incident, from: outcome.from, actor: change.actor, actorKind: actorKindOf(change.actor) })
    return { ok: true, incident: outcome.incident }
  }

  const stale = (current: Incident): Refusal => ({ ok: false, status: 409, error: `stale version: the case is now at version ${current.version} (${current.status})`, current: toSummary(current) })
  const conflict = (current: Incident, why: string): Refusal => ({ ok: false, status: 409, error: why, current: toSummary(current), allowed: availableActions(current) })

  /** The duplicate detector's proposal as a workflow step (audited, pushed like any change), or null if not open for merging. */
  function duplicateProposal(current: Incident, primaryId: string): CaseChange | null {
    if (current.duplicateOf || !nextStatus(current.status, 'merge')) return null
    return {
      id: current.id, expectedVersion: current.version, to: current.status, at: new Date(deps.now()).toISOString(),
      actor: DEDUPE_ACTOR, action: 'propose-duplicate', note: `疑似重复: ${primaryId}`, duplicateOf: primaryId,
    }
  }

  /**
   * The proposal for a stored report, recorded for an operator to merge or dismiss. Retried on a concurrent change;
   * a report no longer open for merging is left alone. (Ingest writes proposals in its own commit, through
   * `duplicateProposal`; this is for a report already stored.)
   */
  async function proposeDuplicate(id: string, primaryId: string): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await deps.repo.getIncident(id)
      const change = current ? duplicateProposal(current, primaryId) : null
      if (!change) return false
      if ((await apply(change)).ok) return true
    }
    return false
  }

  return {
    act,
    actMany,
    proposeDuplicate,
    duplicateProposal,
    history: (id: string) => deps.repo.caseEvents(id),
    merged: (id: string) => deps.repo.mergedInto(id),
  }
}

export type CaseService = ReturnType<typeof createCaseService>
