import { z } from 'zod'
import { isKnownCategory } from '../categories.js'
import { safeIdSchema } from './ids.js'
import { textSchema } from './text.js'

import { REQUEST_TYPES, SEVERITIES, SOURCES } from '../enums.js'

export { REQUEST_TYPES, type RequestType, SEVERITIES, SOURCES, type Severity, type Source } from '../enums.js'

/** Report channels (DOMAIN.md §5) and severities: the tuples live in shared/enums.ts. */
export const sourceSchema = z.enum(SOURCES)
export const severitySchema = z.enum(SEVERITIES)

export const reporterSchema = z.object({
  name: textSchema(50).pipe(z.string().trim().min(1)).optional(),
  phone: z.string().trim().regex(/^[0-9+\-\s]{3,20}$/, 'phone: digits, +, - or spaces, 3–20 characters').optional(),
}).strict()

/** One incident report as a source sends it. `id` is chosen by the client and is the idempotency key. */
export const incidentInputSchema = z.object({
  id: safeIdSchema('id'),
  source: sourceSchema,
  category: z.string().regex(/^\d{4}$/, 'category: a 4-digit CJ/T 214 code').refine(isKnownCategory, 'category: unknown code'),
  severity: severitySchema,
  lon: z.number().finite().min(-180).max(180),
  lat: z.number().finite().min(-90).max(90),
  reportedAt: z.iso.datetime({ offset: true }),
  description: textSchema(2000),
  reporter: reporterSchema.optional(),
  /** 12345 诉求类型 (咨询/求助/建议/投诉): hotline reports only. */
  requestType: z.enum(REQUEST_TYPES).optional(),
}).strict().refine(i => i.requestType === undefined || i.source === 'hotline_12345', {
  path: ['requestType'], message: 'requestType: only for source hotline_12345',
})
export type IncidentInput = z.infer<typeof incidentInputSchema>

/** The envelope of POST /api/v1/events. Items are validated one by one so that one bad event rejects only itself. */
export const MAX_BATCH = 1000
export const eventBatchSchema = z.object({
  events: z.array(z.unknown()).min(1).max(MAX_BATCH),
}).strict()

/** How far a report's reportedAt may lie from the server's clock (server/config.ts: REPORTED_AT_MAX_AGE_DAYS/_AHEAD_MIN). */
export interface ReportedAtWindow { readonly backMs: number, readonly aheadMs: number }
export const DEFAULT_REPORTED_AT_WINDOW: ReportedAtWindow = { backMs: 365 * 86_400_000, aheadMs: 5 * 60_000 }

/**
 * Why `reportedAt` is outside the window around `nowMs`, or null when it is inside. Years 0000 or 9999 would make
 * every later read span millennia (issue #14); the history seed, which writes its own past, does not call this.
 */
export function reportedAtOutside(reportedAt: string, nowMs: number, w: ReportedAtWindow): string | null {
  const t = Date.parse(reportedAt)
  if (!Number.isFinite(t)) return 'reportedAt: not a valid date-time'
  if (t < nowMs - w.backMs) return `reportedAt: more than ${Math.round(w.backMs / 86_400_000)} days before the server's clock`
  if (t > nowMs + w.aheadMs) return `reportedAt: more than ${Math.round(w.aheadMs / 60_000)} minutes after the server's clock`
  return null
}
