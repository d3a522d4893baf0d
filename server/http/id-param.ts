import type { RequestParamHandler } from 'express'
import { isSafeId, SAFE_ID_RULE } from '../../shared/schemas/ids.js'
import { sendError } from './errors.js'

/** `router.param('id', safeIdParam)`: an id in a path outside the one safe set is a 400 naming it, before any lookup. */
export const safeIdParam: RequestParamHandler = (_req, res, next, value: unknown, name) => {
  if (isSafeId(value)) return next()
  sendError(res, 400, `invalid ${String(name)}`, [{ path: String(name), message: `${String(name)}: ${SAFE_ID_RULE}` }])
}
