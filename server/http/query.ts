import type { Request, Response } from 'express'
import type { z } from 'zod'
import { issuesToDetails } from '../../shared/schemas/errors.js'
import { type ParsedScope, parseScope } from '../../shared/scope.js'
import { sendError } from './errors.js'

/** Parses a query string with a schema; on failure answers 400 naming each field and returns null. */
export function parseQuery<S extends z.ZodType>(schema: S, req: Request, res: Response): z.infer<S> | null {
  const parsed = schema.safeParse(req.query)
  if (parsed.success) return parsed.data
  sendError(res, 400, 'invalid query', issuesToDetails(parsed.error))
  return null
}

/** `scope` query parameter (default city), checked against the city's units. */
export function scopeParam(raw: string | undefined, unitExists: (level: 'district' | 'street', code: string) => boolean, res: Response): ParsedScope | null {
  const parsed = parseScope(raw ?? 'city')
  if (!parsed || (parsed.level !== 'city' && !unitExists(parsed.level, parsed.code!))) {
    sendError(res, 400, 'invalid query', [{ path: 'scope', message: 'scope: expected "city", or "district:<code>"/"street:<code>" of a unit of this city' }])
    return null
  }
  return parsed
}
