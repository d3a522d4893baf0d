import { getCategory } from '../../shared/categories.js'
import type { CaseEvent, Incident } from '../../shared/incident.js'
import { nextStatus } from '../../shared/workflow/transitions.js'
import { deadlineFor } from '../calendar/index.js'
import { actorOf, plan } from '../sources/simulator/departments.js'

export type HistoryEvent = Omit<CaseEvent, 'seq'>

/**
 * A case's life up to `endMs`, offline: the department simulator's `plan()` decides each next step and when, and each
 * step changes the case as the case service would (`nextStatus`, the same bookkeeping: filed/dispatched/handled/closed
 * times, department and deadline on the working calendar, rework, postponement, feedback, merge, and the steps of
 * migration 9: self-handling, returns, postponement requests, assisting departments). Steps due after
 * `endMs` have not happened yet, so recent cases stay open. test/integration/seed.test.ts checks this against the
 * live case service and department simulator.
 */
export function replayCase(start: Incident, seed: number, endMs: number, utcOffsetMinutes: number, duplicateOf: string | null): { incident: Incident, events: HistoryEvent[] } {
  const i: Incident = start
  const events: HistoryEvent[] = []
  let t = Date.parse(i.reportedAt)
  if (duplicateOf !== null) {
    // the duplicate detector's proposal, made as the report is stored
    i.duplicateOf = duplicateOf
    i.version += 1
    events.push({ at: i.reportedAt, actor: 'system:dedupe', action: 'propose-duplicate', from: i.status, to: i.status, note: `疑似重复: ${duplicateOf}` })
  }
  for (let guard = 0; guard < 64; guard++) {
    const step = plan(i, seed, t)
    if (!step) break
    const at = t + step.after
    if (at >= endMs) break
    const to = nextStatus(i.status, step.action)
    if (!to) break
    const atIso = new Date(at).toISOString()
    let note: string | undefined = typeof step.extra.reason === 'string' ? step.extra.reason : typeof step.extra.note === 'string' ? step.extra.note : undefined
    switch (step.action) {
      case 'file':
        i.filedAt ??= atIso
        break
      case 'dispatch': {
        const category = getCategory(i.category)
        if (category) {
          i.department = category.department
          i.deadline = new Date(deadlineFor(at, category.timeLimit, utcOffsetMinutes)).toISOString()
          const assisting = (category.assisting ?? []).filter(a => a !== category.department)
          if (assisting.length > 0) {
            i.assistingDepartments = assisting
            note = `主办 ${category.department}，协办 ${assisting.join('、')}`
          } else {
            delete i.assistingDepartments
          }
        }
        i.dispatchedAt = atIso
        i.dispatchCount = (i.dispatchCount ?? 0) + 1
        delete i.postponeRequest
        break
      }
      case 'self-handle':
        i.selfHandled = true
        i.closedAt = atIso
        note = step.extra.evidence as string
        break
      case 'return':
        i.returnCount = (i.returnCount ?? 0) + 1
        delete i.department
        delete i.deadline
        delete i.dispatchedAt
        delete i.assistingDepartments
        delete i.postponeRequest
        break
      case 'request-postpone':
        i.postponeRequest = { deadline: new Date(Date.parse(step.extra.deadline as string)).toISOString(), reason: step.extra.reason as string, at: atIso }
        break
      case 'approve-postpone': {
        const request = i.postponeRequest!
        i.deadline = request.deadline
        i.postponedCount = (i.postponedCount ?? 0) + 1
        note = `同意延期至 ${request.deadline}（${request.reason}）`
        delete i.postponeRequest
        break
      }
      case 'refuse-postpone':
        delete i.postponeRequest
        break
      case 'handle':
        i.handledAt = atIso
        break
      case 'close':
        i.closedAt = atIso
        break
      case 'postpone':
        i.deadline = new Date(Date.parse(step.extra.deadline as string)).toISOString()
        i.postponedCount = (i.postponedCount ?? 0) + 1
        delete i.postponeRequest
        break
      case 'verify-fail':
        i.reworkCount = (i.reworkCount ?? 0) + 1
        delete i.handledAt
        break
      case 'feedback':
        i.feedback = step.extra.satisfied ? 'satisfied' : 'unsatisfied'
        break
      case 'merge':
        i.mergedInto = i.duplicateOf
        note = `合并到 ${i.duplicateOf}`
        delete i.duplicateOf
        break
      case 'remind':
        i.reminders = (i.reminders ?? 0) + 1
        break
      case 'escalate':
        i.escalatedAt ??= atIso
        break
      case 'reject': case 'verify-pass': case 'comment': case 'dismiss-duplicate':
        break
    }
    events.push(note === undefined ? { at: atIso, actor: actorOf(step.action), action: step.action, from: i.status, to } : { at: atIso, actor: actorOf(step.action), action: step.action, from: i.status, to, note })
    i.status = to
    i.version += 1
    t = at
  }
  return { incident: i, events }
}
