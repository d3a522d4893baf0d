import { getCategory } from '../../shared/categories.js'
import { type Incident, type IncidentSummary, toSummary } from '../../shared/incident.js'
import { caseActionSchema } from '../../shared/schemas/case-action.js'
import { type ErrorDetail, issuesToDetails } from '../../shared/schemas/errors.js'
import type { CaseStatus } from '../../shared/workflow/states.js'
import { allowedActions, type CaseAction, nextStatus } from '../../shared/workflow/transitions.js'
import type { CaseChange, IncidentRepository } from '../store/repository.js'
import { deadlineFor } from './working-calendar.js'

export type ActionOutcome =
  | { ok: true, incident: Incident }
  | { ok: false, status: 400 | 404 | 409, error: string, details?: ErrorDetail[], current?: IncidentSummary, allowed?: CaseAction[] }

export interface CaseServiceDeps {
  repo: IncidentRepository
  utcOffsetMinutes: number
  now: () => number
  /** After commit: the changed case and the state it left. */
  onChanged: (incident: Incident, from: CaseStatus) => void
}

/**
 * The one way a case moves (HTTP, Socket.IO and the simulator's departments all call `act`): validate the action,
 * check the transition is legal in the case's state, then write it guarded by the version the actor saw.
 */
export function createCaseService(deps: CaseServiceDeps) {
  async function act(id: string, raw: unknown): Promise<ActionOutcome> {
    const parsed = caseActionSchema.safeParse(raw)
    if (!parsed.success) return { ok: false, status: 400, error: 'invalid action', details: issuesToDetails(parsed.error) }
    const input = parsed.data
    const current = await deps.repo.getIncident(id)
    if (!current) return { ok: false, status: 404, error: `no incident with id ${id}` }
    const to = nextStatus(current.status, input.action)
    if (!to) {
      return { ok: false, status: 409, error: `cannot ${input.action} a case that is ${current.status}`, current: toSummary(current), allowed: allowedActions(current.status) }
    }
    if (current.version !== input.version) return stale(current)
    const now = deps.now()
    const change: CaseChange = { id, expectedVersion: input.version, to, at: new Date(now).toISOString(), actor: input.actor, action: input.action, note: input.reason ?? input.note }
    if (input.action === 'dispatch') {
      const category = getCategory(current.category)
      change.department = input.department ?? category?.department
      if (category) change.deadline = new Date(deadlineFor(now, category.timeLimit, deps.utcOffsetMinutes)).toISOString()
    }
    if (input.action === 'postpone') {
      change.deadline = input.deadline
      change.postponed = true
    }
    if (input.action === 'verify-fail') change.rework = true
    const outcome = await deps.repo.applyCaseChange(change)
    if (outcome.kind === 'not-found') return { ok: false, status: 404, error: `no incident with id ${id}` }
    if (outcome.kind === 'stale') return stale(outcome.current)
    deps.onChanged(outcome.incident, outcome.from)
    return { ok: true, incident: outcome.incident }
  }

  function stale(current: Incident): ActionOutcome {
    return { ok: false, status: 409, error: `stale version: the case is now at version ${current.version} (${current.status})`, current: toSummary(current) }
  }

  return { act, history: (id: string) => deps.repo.caseEvents(id) }
}

export type CaseService = ReturnType<typeof createCaseService>
