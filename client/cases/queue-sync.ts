import type { ScopeDelta } from '../../shared/events.js'
import type { IncidentSummary } from '../../shared/incident.js'
import { isOpen } from '../../shared/workflow/states.js'
import { continues } from '../live/scope-state.js'

/** A page of GET /api/v1/cases. */
export interface CasePage { cases: IncidentSummary[], nextCursor: string | null, seq: number }

/**
 * The part of the open queue a console holds: the pages it loaded (newest report first, down to the cursor) kept
 * current by deltas, under the live path's continuity rule. Replaced, never mutated (a shallowRef holds it).
 */
export interface QueueWindow {
  byId: Map<string, IncidentSummary>
  /** Every change up to this seq is reflected. */
  seq: number
  /** Where the next page starts; null when everything open in scope is loaded. */
  nextCursor: string | null
  /** Version at which a case left the queue (closed, merged…), so an older page cannot bring it back. */
  gone: Map<string, number>
}

export const cursorMs = (cursor: string) => Number(cursor.split('_')[0])

/** Is this case inside the loaded window (at or above the next page's start)? Cases below it come with their page. */
function inWindow(w: Pick<QueueWindow, 'nextCursor'>, i: IncidentSummary): boolean {
  return w.nextCursor === null || Date.parse(i.reportedAt) >= cursorMs(w.nextCursor)
}

export function fromFirstPage(page: CasePage): QueueWindow {
  return { byId: new Map(page.cases.map(i => [i.id, i])), seq: page.seq, nextCursor: page.nextCursor, gone: new Map() }
}

/** Adds a further page: a case already held (from a delta) or gone at the same or a newer version is kept as is. */
export function addPage(w: QueueWindow, page: CasePage): QueueWindow {
  const byId = new Map(w.byId)
  for (const i of page.cases) {
    if ((byId.get(i.id)?.version ?? -1) >= i.version || (w.gone.get(i.id) ?? -1) >= i.version) continue
    byId.set(i.id, i)
  }
  return { ...w, byId, nextCursor: page.nextCursor }
}

/**
 * A delta: a gap (it starts past seq + 1) means the window may be stale, and the caller reloads; otherwise open
 * cases are upserted (newer versions only, inside the window), the others leave the queue.
 */
export function applyToWindow(w: QueueWindow, delta: ScopeDelta): { kind: 'applied', window: QueueWindow } | { kind: 'gap' } {
  if (!continues(w.seq, delta)) return { kind: 'gap' }
  const byId = new Map(w.byId)
  const gone = new Map(w.gone)
  for (const i of delta.incidents) {
    if ((byId.get(i.id)?.version ?? -1) > i.version || (gone.get(i.id) ?? -1) > i.version) continue
    if (isOpen(i.status)) {
      gone.delete(i.id)
      if (inWindow(w, i)) byId.set(i.id, i)
      else byId.delete(i.id) // its page brings it, current then
    } else {
      byId.delete(i.id)
      gone.set(i.id, i.version)
    }
  }
  return { kind: 'applied', window: { ...w, byId, gone, seq: Math.max(w.seq, delta.toSeq) } }
}
