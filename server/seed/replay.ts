import type { Incident } from '../../shared/incident.js'
import { applyCaseChange, auditEntry } from '../store/case-change.js'
import type { CaseChange, HistoryRecord } from '../store/repository.js'
import { actorOf, plan } from '../sources/simulator/departments.js'
import { decideChange, duplicateProposal, isRefusal, parseAction, type RuleContext } from '../workflow/case-rules.js'

export type HistoryEvent = HistoryRecord['events'][number]

/** A case being replayed: its state after each step, and the trail of steps taken. */
interface Replay { incident: Incident, events: HistoryEvent[] }

/** One step written as every store writes it: the case `applyCaseChange` leaves and the audit row of the step. */
function take(r: Replay, change: CaseChange): void {
  r.events.push(auditEntry(change, r.incident.status))
  r.incident = applyCaseChange(r.incident, change)
}

/**
 * A case's life up to `endMs`, offline and in memory: what the live server does to it, through the same code. The
 * duplicate detector's proposal (`duplicatePrimary`) is the case service's `duplicateProposal`; then the department
 * simulator's `plan()` picks each next step and when, as it does live, and each step is parsed, checked and decided
 * by the workflow's rules (server/workflow/case-rules.ts: transitions, deadlines on the working calendar, notes) and
 * applied as the store applies it (server/store/case-change.ts). A step the rules refuse ends the case's replay, as
 * the live simulator drops it. Steps due after `endMs` have not happened yet, so recent cases stay open.
 * test/integration/seed.test.ts checks the result against the live ingest, case service and simulator.
 */
export function replayCase(start: Incident, seed: number, endMs: number, ctx: RuleContext, duplicatePrimary: string | null): HistoryRecord {
  const r: Replay = { incident: start, events: [] }
  let t = Date.parse(start.reportedAt)
  const proposal = duplicatePrimary === null ? null : duplicateProposal(start, duplicatePrimary, t)
  if (proposal) take(r, proposal)
  for (let guard = 0; guard < 64; guard++) {
    const step = plan(r.incident, seed, t)
    if (!step) break
    const at = t + step.after
    if (at >= endMs) break
    const parsed = parseAction({ action: step.action, version: r.incident.version, actor: actorOf(step.action), ...step.extra })
    if (!('input' in parsed)) break
    const change = decideChange(r.incident, parsed.input, at, ctx)
    if (isRefusal(change)) break
    take(r, change)
    t = at
  }
  return r
}
