import type { Incident } from '../../shared/incident.js'
import type { CaseActionInput } from '../../shared/schemas/case-action.js'
import { actorOf, plan } from '../sources/simulator/departments.js'
import { applyCaseChangeTo, auditEntry } from '../store/case-change.js'
import type { CaseChange, HistoryRecord } from '../store/repository.js'
import { decideChange, duplicateProposal, isRefusal, type RuleContext } from '../workflow/case-rules.js'

/**
 * A case's life up to `endMs`, offline and in memory: what the live server does to it, through the same code. The
 * duplicate detector's proposal (`duplicatePrimary`) is the case service's `duplicateProposal`; then the department
 * simulator's `plan()` picks each next step and when, as it does live; each step is checked and decided by the
 * workflow's rules (server/workflow/case-rules.ts: transitions, deadlines on the working calendar, notes) and
 * applied as every store applies it (server/store/case-change.ts), in place: the replay owns `start`. A step the
 * rules refuse ends the replay, as the live simulator drops it. Steps due after `endMs` have not happened yet, so
 * recent cases stay open. test/integration/seed.test.ts checks the stored rows against the live path's.
 */
export function replayCase(start: Incident, seed: number, endMs: number, ctx: RuleContext, duplicatePrimary: string | null): HistoryRecord {
  const incident = start
  const events: HistoryRecord['events'] = []
  const take = (change: CaseChange) => {
    events.push(auditEntry(change, incident.status))
    applyCaseChangeTo(incident, change)
  }
  let t = Date.parse(incident.reportedAt)
  const proposal = duplicatePrimary === null ? null : duplicateProposal(incident, duplicatePrimary, t)
  if (proposal) take(proposal)
  for (let guard = 0; guard < 64; guard++) {
    const step = plan(incident, seed, t)
    if (!step) break
    const at = t + step.after
    if (at >= endMs) break
    // the department simulator's own step, as it sends it live; not parsed again here (a schema parse per step costs
    // the seed a third of its time): seed.test.ts sends the same steps through the case service, which parses them
    const input = { action: step.action, version: incident.version, actor: actorOf(step.action), ...step.extra } as CaseActionInput
    const change = decideChange(incident, input, at, ctx)
    if (isRefusal(change)) break
    take(change)
    t = at
  }
  return { incident, events }
}
