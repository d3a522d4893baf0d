import type { CaseEvent, Incident } from '../../shared/incident.js'
import type { CaseChange } from './repository.js'

/**
 * What a workflow step (a CaseChange the workflow's rules decided, server/workflow/case-rules.ts) does to a case,
 * written once: every store implementation writes the case this returns, and the history seed replays cases with it
 * in memory before its bulk write. Pure; `seq` is left as it was (the store numbers its writes).
 */
export function applyCaseChange(current: Incident, c: CaseChange): Incident {
  return applyCaseChangeTo({ ...current }, c)
}

/** `applyCaseChange` on the case itself, for one who owns it (the seed's replay: no copy per step). */
export function applyCaseChangeTo(next: Incident, c: CaseChange): Incident {
  next.status = c.to
  next.version += 1
  // a return (退回) sends the case back to the centre: department, deadline, dispatch time, assisting departments
  // and any pending request go; otherwise each is kept or replaced
  const assisting = c.returned ? [] : c.assisting
  const request = c.returned ? null : c.postponeRequest
  if (c.returned) {
    delete next.department
    delete next.deadline
    delete next.dispatchedAt
    next.returnCount = (next.returnCount ?? 0) + 1
  } else {
    if (c.department !== undefined) next.department = c.department
    if (c.deadline !== undefined) next.deadline = c.deadline
    if (c.dispatchedAt !== undefined) next.dispatchedAt = c.dispatchedAt
  }
  if (c.dispatchedAt !== undefined) next.dispatchCount = (next.dispatchCount ?? 0) + 1
  if (c.rework) next.reworkCount = (next.reworkCount ?? 0) + 1
  if (c.postponed) next.postponedCount = (next.postponedCount ?? 0) + 1
  if (c.reminder) next.reminders = (next.reminders ?? 0) + 1
  // the first filing and the first escalation count; a later one does not move them
  if (c.filedAt !== undefined) next.filedAt = next.filedAt ?? c.filedAt
  if (c.escalatedAt !== undefined) next.escalatedAt = next.escalatedAt ?? c.escalatedAt
  // rework is handled again later: the first handling time must not count the case as on time
  if (c.clearHandled) delete next.handledAt
  else if (c.handledAt !== undefined) next.handledAt = c.handledAt
  if (c.closedAt !== undefined) next.closedAt = c.closedAt
  if (c.duplicateOf === null) delete next.duplicateOf
  else if (c.duplicateOf !== undefined) next.duplicateOf = c.duplicateOf
  if (c.mergedInto !== undefined) next.mergedInto = c.mergedInto
  if (c.feedback !== undefined) next.feedback = c.feedback
  if (c.selfHandled) next.selfHandled = true
  if (c.evidencePhoto !== undefined) next.evidencePhoto = c.evidencePhoto
  if (assisting !== undefined) {
    if (assisting.length > 0) next.assistingDepartments = assisting
    else delete next.assistingDepartments
  }
  if (request === null) delete next.postponeRequest
  else if (request !== undefined) next.postponeRequest = request
  return next
}

/** The audit row of a step, as every store writes it and the seed replays it. */
export function auditEntry(c: CaseChange, from: Incident['status']): Omit<CaseEvent, 'seq'> {
  return c.note === undefined ? { at: c.at, actor: c.actor, action: c.action, from, to: c.to } : { at: c.at, actor: c.actor, action: c.action, from, to: c.to, note: c.note }
}
