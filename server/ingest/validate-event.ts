import type { z } from 'zod'
import { issuesToDetails } from '../../shared/schemas/errors.js'
import { type IncidentInput, incidentInputSchema } from '../../shared/schemas/incident.js'

export type Validated = { ok: true, input: IncidentInput } | { ok: false, id: string | null, error: string }

function idOf(raw: unknown): string | null {
  if (typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string') return raw.id.slice(0, 64)
  return null
}

function describe(error: z.ZodError): string {
  return issuesToDetails(error).map(d => `${d.path}: ${d.message}`).join('; ')
}

/** One event of a batch, checked against the shared schema; the error names each failing field. */
export function validateEvent(raw: unknown): Validated {
  const parsed = incidentInputSchema.safeParse(raw)
  if (parsed.success) return { ok: true, input: parsed.data }
  return { ok: false, id: idOf(raw), error: describe(parsed.error) }
}
