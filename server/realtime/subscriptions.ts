import { refuseScope } from '../../shared/access-check.js'
import { type Ack, MAX_KEEP, type SubscribeRequest } from '../../shared/events.js'
import { packDelta, packSnapshot, type SubscribeResultWire } from '../../shared/live-wire.js'
import { alarmRoom, parseScope, type Scope, scopeRoom } from '../../shared/scope.js'
import type { DeltaPublisher } from './delta-publisher.js'
import { keepNewest } from './keep-newest.js'
import type { ScopeFeed } from './scope-feed.js'
import type { IoSocket } from './types.js'

export interface SubscriptionDeps {
  /** Which district a street belongs to (a district display link may look at its streets). */
  districtOfStreet: (street: string) => string | undefined
  feed: ScopeFeed
  publisher: DeltaPublisher
  /** Does a unit with this code exist at this level? Unknown scopes are refused. */
  unitExists: (level: 'district' | 'street', code: string) => boolean
  maxCatchUp: number
}

/** `scope:subscribe`: join the scope's room, then answer with a resume delta when possible, else a snapshot. */
export async function subscribe(socket: IoSocket, req: SubscribeRequest, deps: SubscriptionDeps): Promise<Ack<SubscribeResultWire>> {
  const raw = typeof req?.scope === 'string' ? req.scope : ''
  const parsed = parseScope(raw)
  if (!parsed) return { ok: false, error: 'invalid scope', details: [{ path: 'scope', message: 'expected "city", "district:<code>" or "street:<code>"' }] }
  if (parsed.level !== 'city' && !deps.unitExists(parsed.level, parsed.code!)) {
    return { ok: false, error: 'unknown scope', details: [{ path: 'scope', message: `no ${parsed.level} with code ${parsed.code}` }] }
  }
  // checked before the handler too (server/realtime/socket-authorize.ts); here again because this joins the room
  const refused = refuseScope(socket.data.principal, parsed.level === 'city' ? null : parsed, 'scope', deps.districtOfStreet)
  if (refused) return { ok: false, error: refused.error, details: refused.details }
  const sinceSeq = req.sinceSeq
  if (sinceSeq !== undefined && (!Number.isInteger(sinceSeq) || sinceSeq < 0)) {
    return { ok: false, error: 'invalid sinceSeq', details: [{ path: 'sinceSeq', message: 'expected a non-negative integer' }] }
  }
  const keep = req.keep
  if (keep !== undefined && (!Number.isInteger(keep) || keep < 1 || keep > MAX_KEEP)) {
    return { ok: false, error: 'invalid keep', details: [{ path: 'keep', message: `expected an integer from 1 to ${MAX_KEEP}` }] }
  }
  if (req.brief !== undefined && typeof req.brief !== 'boolean') {
    return { ok: false, error: 'invalid brief', details: [{ path: 'brief', message: 'expected true or false' }] }
  }
  const brief = req.brief === true
  if (req.alarms !== undefined && typeof req.alarms !== 'boolean') {
    return { ok: false, error: 'invalid alarms', details: [{ path: 'alarms', message: 'expected true or false' }] }
  }
  const scope = raw as Scope
  deps.publisher.ensureRoom(scope)
  const st = { lastSeq: 0, lagging: false, catchingUp: true, ...(keep !== undefined && { keep }), ...(brief && { brief }) }
  socket.data.scopes.set(scope, st)
  await socket.join(scopeRoom(scope))
  if (req.alarms === false) await socket.leave(alarmRoom(scope))
  else await socket.join(alarmRoom(scope))
  try {
    const behind = sinceSeq === undefined ? Infinity : deps.feed.appliedSeq - sinceSeq
    if (behind >= 0 && behind <= deps.maxCatchUp) {
      const delta = await deps.feed.changesAfter(scope, sinceSeq!, deps.maxCatchUp)
      st.lastSeq = delta.toSeq
      return { ok: true, data: { kind: 'resumed', delta: packDelta(keep === undefined ? delta : keepNewest(delta, keep), brief) } }
    }
    const snapshot = await deps.feed.snapshot(scope)
    st.lastSeq = snapshot.seq
    return { ok: true, data: { kind: 'snapshot', snapshot: packSnapshot(snapshot, brief) } }
  } finally {
    st.catchingUp = false
  }
}

export async function unsubscribe(socket: IoSocket, scope: string): Promise<Ack<null>> {
  if (!parseScope(scope)) return { ok: false, error: 'invalid scope', details: [{ path: 'scope', message: 'expected "city", "district:<code>" or "street:<code>"' }] }
  socket.data.scopes.delete(scope as Scope)
  await socket.leave(scopeRoom(scope as Scope))
  await socket.leave(alarmRoom(scope as Scope))
  return { ok: true, data: null }
}
