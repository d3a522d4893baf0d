import express, { Router } from 'express'
import { z } from 'zod'
import { actorName } from '../../shared/access.js'
import { principal } from '../auth/authenticate.js'
import { issuesToDetails } from '../../shared/schemas/errors.js'
import { textSchema } from '../../shared/schemas/text.js'
import type { AlarmService } from '../alarms/alarm-service.js'
import { sendError } from './errors.js'
import { parseQuery, scopeParam } from './query.js'

const listQuery = z.object({ scope: z.string().optional() })
/** An `actor` is accepted for older clients and ignored: the acknowledgement is recorded under the session's user. */
const ackBody = z.object({ actor: textSchema(64).optional() }).strict()

/** Open alarms of a scope and their acknowledgement (the same service the sockets use). */
export function alarmsRouter(alarms: AlarmService, unitExists: (level: 'district' | 'street', code: string) => boolean): Router {
  const router = Router()
  router.get('/alarms', async (req, res) => {
    const q = parseQuery(listQuery, req, res)
    const scope = q && scopeParam(q.scope, unitExists, res)
    if (!scope) return
    res.json(await alarms.open(scope))
  })
  router.post('/alarms/:id/ack', express.json({ limit: '4kb' }), async (req, res) => {
    const id = Number(req.params.id)
    if (!Number.isInteger(id)) return sendError(res, 400, 'invalid alarm id', [{ path: 'id', message: 'id: an integer' }])
    const p = principal(res)
    const body = ackBody.safeParse(req.body ?? {})
    if (!body.success) return sendError(res, 400, 'invalid body', issuesToDetails(body.error))
    const outcome = await alarms.ack(id, actorName(p))
    if (outcome.kind === 'not-found') return sendError(res, 404, `no alarm with id ${id}`)
    res.status(outcome.kind === 'already' ? 409 : 200).json(outcome.kind === 'already' ? { error: `already acknowledged by ${outcome.alarm.ackedBy}`, alarm: outcome.alarm } : outcome.alarm)
  })
  return router
}
