import type { Incident } from '../../shared/incident.js'
import type { CaseAuditRepository, CaseChange, CaseChangeOutcome, CaseRepository } from '../store/repository.js'
import type { EventBus } from '../events/bus.js'
import { actorKindOf } from '../events/domain-events.js'
import { decideChange, duplicateProposal, isRefusal, mergeTargetId, parseAction, type Refusal, stale } from './case-rules.js'

export type ActionOutcome = { ok: true, incident: Incident } | Refusal

export interface CaseServiceDeps {
  repo: CaseRepository & CaseAuditRepository
  utcOffsetMinutes: number
  now: () => number
  /** Told `case.changed` after each committed step. */
  events: Pick<EventBus, 'publish'>
}

/** How far back a machine step may be stamped at its planned instant (actMany). */
const MAX_STEP_DELAY_MS = 86_400_000

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

  /** An action checked against the stored case (server/workflow/case-rules.ts): the change to write, or why not. */
  async function prepare(id: string, raw: unknown, atMs?: number): Promise<{ change: CaseChange } | Refusal> {
    const parsed = parseAction(raw)
    if (!('input' in parsed)) return parsed
    const current = await deps.repo.getIncident(id)
    if (!current) return { ok: false, status: 404, error: `no incident with id ${id}` }
    const intoId = mergeTargetId(current, parsed.input)
    const into = intoId !== null && intoId !== id ? await deps.repo.getIncident(intoId) : null
    const now = atMs === undefined ? deps.now() : Math.min(deps.now(), Math.max(atMs, deps.now() - MAX_STEP_DELAY_MS))
    const decided = decideChange(current, parsed.input, now, { utcOffsetMinutes: deps.utcOffsetMinutes, mergeTarget: wanted => (wanted === intoId ? into : null) })
    return isRefusal(decided) ? decided : { change: decided }
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

  /** The duplicate detector's proposal for a report just stored (case-rules.ts), stamped now. */
  const proposal = (current: Incident, primaryId: string) => duplicateProposal(current, primaryId, deps.now())

  /**
   * The proposal for a stored report, recorded for an operator to merge or dismiss. Retried on a concurrent change;
   * a report no longer open for merging is left alone. (Ingest writes proposals in its own commit, through
   * `duplicateProposal`; this is for a report already stored.)
   */
  async function proposeDuplicate(id: string, primaryId: string): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await deps.repo.getIncident(id)
      const change = current ? proposal(current, primaryId) : null
      if (!change) return false
      if ((await apply(change)).ok) return true
    }
    return false
  }

  return {
    act,
    actMany,
    proposeDuplicate,
    duplicateProposal: proposal,
    history: (id: string) => deps.repo.caseEvents(id),
    merged: (id: string) => deps.repo.mergedInto(id),
  }
}

export type CaseService = ReturnType<typeof createCaseService>
