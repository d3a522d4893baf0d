import type { EventRule, Principal } from '../../shared/access.js'
import { refuseParty, refuseScope, type Refusal } from '../../shared/access-check.js'
import { parseScope } from '../../shared/scope.js'
import type { IoServer } from './types.js'
import type { ScopeResolvers } from '../access/request-scope.js'
import { eventRule } from '../access/route-table.js'

/** The principal the authenticate middleware set on the socket; none is anonymous. */
const principalOf = (p: Principal | undefined): Principal => p ?? { kind: 'anonymous' }

/** Is the request inside the principal's scope, by the event's row? null: yes (or nothing to check: the handler answers 400/404). */
async function refuseEventScope(rule: EventRule, req: Record<string, unknown>, p: Principal, r: ScopeResolvers): Promise<Refusal | null> {
  switch (rule.scope) {
    case 'none':
      return null
    case 'city':
      return refuseScope(p, null, '(scope)', r.districtOfStreet)
    case 'request': {
      const asked = typeof req.scope === 'string' ? parseScope(req.scope) : null
      if (!asked) return null
      return refuseScope(p, asked.level === 'city' ? null : asked, 'scope', r.districtOfStreet)
    }
    case 'incident':
    case 'alarm': {
      const place = rule.scope === 'incident'
        ? (typeof req.id === 'string' ? await r.incidentPlace(req.id) : null)
        : (Number.isInteger(req.id) ? await r.alarmPlace(req.id as number) : null)
      return place ? refuseScope(p, { level: 'street', code: place.street }, 'id', r.districtOfStreet) : null
    }
  }
}

/**
 * Every Socket.IO request is checked against the table in shared/access.ts before its handler runs (issue #14): an
 * event without a row, a party not in the row or a scope outside the principal's is answered in the ack
 * (`{ ok: false, status, error }`) and never reaches the handler, so no room is joined but by a verified claim.
 */
export function authorizeSockets(io: IoServer, r: ScopeResolvers, onError: (err: unknown) => void): void {
  io.on('connection', (socket) => {
    socket.use((packet, next) => {
      const [event, req, ack] = packet as [string, unknown, unknown]
      const answer = (refusal: Refusal) => {
        const reply = typeof ack === 'function' ? ack : typeof req === 'function' ? req : null
        if (reply) (reply as (res: unknown) => void)({ ok: false, ...refusal })
      }
      const rule = eventRule(event)
      if (!rule) return answer({ status: 403, error: `unknown event ${String(event).slice(0, 40)}` })
      const p = principalOf(socket.data.principal)
      const party = refuseParty(rule.who, p, event)
      if (party) return answer(party)
      const body = req !== null && typeof req === 'object' ? req as Record<string, unknown> : {}
      refuseEventScope(rule, body, p, r).then(out => (out ? answer(out) : next()), (err: unknown) => {
        onError(err)
        answer({ status: 403, error: 'access check failed' })
      })
    })
  })
}
