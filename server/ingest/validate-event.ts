import type { z } from 'zod'
import { issuesToDetails } from '../../shared/schemas/errors.js'
import { type IncidentInput, incidentInputSchema, reportedAtOutside, type ReportedAtWindow } from '../../shared/schemas/incident.js'

export type Validated = { ok: true, input: IncidentInput } | { ok: false, id: string | null, error: string }

function idOf(raw: unknown): string | null {
  if (typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string') return raw.id.slice(0, 64)
  return null
}

function describe(error: z.ZodError): string {
  return issuesToDetails(error).map(d => `${d.path}: ${d.message}`).join('; ')
}

/**
 * One event of a batch, checked against the shared schema; the error names each failing field. With `window` (live
 * ingest), reportedAt must also lie within it around `nowMs`; the history seed writes its own past without one.
 */
export function validateEvent(raw: unknown, window?: { nowMs: number, window: ReportedAtWindow }): Validated {
  const parsed = incidentInputSchema.safeParse(raw)
  if (!parsed.success) return { ok: false, id: idOf(raw), error: describe(parsed.error) }
  const outside = window ? reportedAtOutside(parsed.data.reportedAt, window.nowMs, window.window) : null
  if (outside) return { ok: false, id: parsed.data.id, error: outside }
  return { ok: true, input: parsed.data }
}
