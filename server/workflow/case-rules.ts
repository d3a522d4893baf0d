import { getCategory } from '../../shared/categories.js'
import { type Incident, type IncidentSummary, toSummary } from '../../shared/incident.js'
import { type CaseActionInput, caseActionSchema } from '../../shared/schemas/case-action.js'
import { type ErrorDetail, issuesToDetails } from '../../shared/schemas/errors.js'
import { availableActions, canSelfHandle, type CaseAction, nextStatus } from '../../shared/workflow/transitions.js'
import { deadlineFor } from '../calendar/index.js'
import type { CaseChange } from '../store/repository.js'

/**
 * The workflow's rules, written once and pure: which step a case may take and what it changes (status, times,
 * department, deadline on the working calendar, notes). The case service runs them against the stored case; the
 * history seed against the case it is replaying in memory (server/seed/replay.ts). How a decided change lands on the
 * case is the store's `applyCaseChange` (server/store/case-change.ts).
 */

export type Refusal = { ok: false, status: 400 | 404 | 409, error: string, details?: ErrorDetail[], current?: IncidentSummary, allowed?: CaseAction[] }

/** Public reports get a citizen's verdict once closed (群众满意率). */
const PUBLIC_SOURCES = new Set(['hotline_12345', 'citizen_app'])
/** Who proposes duplicates (a machine: its steps ride the regular delta batches). */
const DEDUPE_ACTOR = 'system:dedupe'

const bad = (path: string, message: string): Refusal => ({ ok: false, status: 400, error: 'invalid action', details: [{ path, message: `${path}: ${message}` }] })

export function stale(current: Incident): Refusal {
  return { ok: false, status: 409, error: `stale version: the case is now at version ${current.version} (${current.status})`, current: toSummary(current) }
}

function conflict(current: Incident, why: string): Refusal {
  return { ok: false, status: 409, error: why, current: toSummary(current), allowed: availableActions(current) }
}

/** A workflow action as sent (HTTP, Socket.IO, the simulator's departments, the seed's replay), checked against its schema. */
export function parseAction(raw: unknown): { input: CaseActionInput } | Refusal {
  const parsed = caseActionSchema.safeParse(raw)
  return parsed.success ? { input: parsed.data } : { ok: false, status: 400, error: 'invalid action', details: issuesToDetails(parsed.error) }
}

/** What a rule may need beyond the case: the city's offset (deadlines), and the case a merge folds into. */
export interface RuleContext {
  utcOffsetMinutes: number
  /** The case `into` names (a merge), as stored when the step is taken; null: there is none. */
  mergeTarget?: (id: string) => Pick<Incident, 'status' | 'mergedInto'> | null
}

/** The case a merge would fold into (`into`, else the proposal): what the caller looks up before `decideChange`. */
export function mergeTargetId(current: Incident, input: CaseActionInput): string | null {
  return input.action === 'merge' ? input.into ?? current.duplicateOf ?? null : null
}

/**
 * The change an action makes to `current` at `nowMs`, or why not: the transition must be legal in the case's state,
 * the version the actor saw current, and the action's own checks pass.
 */
export function decideChange(current: Incident, input: CaseActionInput, nowMs: number, ctx: RuleContext): CaseChange | Refusal {
  const to = nextStatus(current.status, input.action)
  if (!to) return { ok: false, status: 409, error: `cannot ${input.action} a case that is ${current.status}`, current: toSummary(current), allowed: availableActions(current) }
  if (current.version !== input.version) return stale(current)
  const change: CaseChange = { id: current.id, expectedVersion: input.version, to, at: new Date(nowMs).toISOString(), actor: input.actor, action: input.action, note: input.reason ?? input.note }
  return fill(change, input, current, nowMs, ctx) ?? change
}

export function isRefusal(d: CaseChange | Refusal): d is Refusal {
  return 'ok' in d
}

/** Action-specific bookkeeping and checks; a refusal is returned, and then nothing is written. */
function fill(change: CaseChange, input: CaseActionInput, current: Incident, now: number, ctx: RuleContext): Refusal | null {
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
      if (category) change.deadline = new Date(deadlineFor(now, category.timeLimit, ctx.utcOffsetMinutes)).toISOString()
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
      return fillMerge(change, input, current, ctx)
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

function fillMerge(change: CaseChange, input: CaseActionInput, current: Incident, ctx: RuleContext): Refusal | null {
  const into = mergeTargetId(current, input)
  if (!into) return bad('into', 'required: the case this report repeats (no proposal to take it from)')
  if (into === current.id) return bad('into', 'a case cannot be merged into itself')
  const target = ctx.mergeTarget?.(into) ?? null
  if (!target) return bad('into', `no incident with id ${into}`)
  if (target.status === 'merged') return bad('into', `${into} was itself merged into ${target.mergedInto}`)
  change.mergedInto = into
  change.duplicateOf = null
  change.note = input.note ?? `合并到 ${into}`
  return null
}

/**
 * The duplicate detector's proposal as a workflow step at `atMs` (audited, pushed like any change), or null if the
 * case is not open for merging. Ingest writes it in the commit of the report; the seed with the report it replays.
 */
export function duplicateProposal(current: Incident, primaryId: string, atMs: number): CaseChange | null {
  if (current.duplicateOf || !nextStatus(current.status, 'merge')) return null
  return {
    id: current.id, expectedVersion: current.version, to: current.status, at: new Date(atMs).toISOString(),
    actor: DEDUPE_ACTOR, action: 'propose-duplicate', note: `疑似重复: ${primaryId}`, duplicateOf: primaryId,
  }
}
