import type { Incident } from '../../../shared/incident.js'
import type { RequestType, Severity, Source } from '../../../shared/schemas/incident.js'
import type { CaseStatus } from '../../../shared/workflow/states.js'
import { contentHash } from '../content-hash.js'

/** The incidents table's columns, in the order the insert statement binds them. */
export const INCIDENT_COLUMNS = [
  'id', 'seq', 'version', 'status', 'source', 'category', 'severity', 'lon', 'lat', 'reported_at', 'reported_ms',
  'received_at', 'description', 'reporter_name', 'reporter_phone', 'cell', 'community', 'street', 'district', 'request_type',
  'content_hash',
] as const

export interface IncidentRow {
  id: string
  seq: number
  version: number
  status: string
  source: string
  category: string
  severity: string
  lon: number
  lat: number
  reported_at: string
  reported_ms: number
  received_at: string
  description: string
  reporter_name: string | null
  reporter_phone: string | null
  cell: string
  community: string
  street: string
  district: string
  department: string | null
  deadline: string | null
  rework_count: number
  postponed_count: number
  filed_at: string | null
  dispatched_at: string | null
  handled_at: string | null
  closed_at: string | null
  reminders: number
  escalated_at: string | null
  duplicate_of: string | null
  merged_into: string | null
  feedback: string | null
  dispatch_count: number
  return_count: number
  self_handled: number
  evidence_photo: string | null
  assisting_departments: string | null
  postpone_request_deadline: string | null
  postpone_request_reason: string | null
  postpone_requested_at: string | null
  request_type: string | null
}

/** The one insert statement, shared with the benchmark's raw baseline so both bind the same way. */
export function insertSql(): string {
  return `INSERT INTO incidents (${INCIDENT_COLUMNS.join(', ')}) VALUES (${INCIDENT_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT(id) DO NOTHING`
}

/**
 * The row as positional values in INCIDENT_COLUMNS order: binding an array is markedly faster than named parameters.
 * `hash`: its content hash when already computed (ingest's workers do, off the main thread).
 */
export function toValues(i: Incident, hash?: string): (string | number | null)[] {
  return [
    i.id, i.seq, i.version, i.status, i.source, i.category, i.severity, i.lon, i.lat, i.reportedAt, Date.parse(i.reportedAt),
    i.receivedAt, i.description, i.reporter?.name ?? null, i.reporter?.phone ?? null, i.cell, i.community, i.street, i.district, i.requestType ?? null,
    hash ?? contentHash(i),
  ]
}

/** The columns a workflow step may change beyond status, version and seq (what `applyCaseChange` decides). */
export const WORKFLOW_COLUMNS = [
  'department', 'deadline', 'rework_count', 'postponed_count', 'filed_at', 'dispatched_at', 'handled_at', 'closed_at', 'reminders',
  'escalated_at', 'duplicate_of', 'merged_into', 'feedback', 'dispatch_count', 'return_count', 'self_handled', 'evidence_photo',
  'assisting_departments', 'postpone_request_deadline', 'postpone_request_reason', 'postpone_requested_at',
] as const

/** A case's workflow state as positional values in WORKFLOW_COLUMNS order (the inverse of `fromRow` for them). */
export function workflowValues(i: Incident): (string | number | null)[] {
  return [
    i.department ?? null, i.deadline ?? null, i.reworkCount ?? 0, i.postponedCount ?? 0, i.filedAt ?? null, i.dispatchedAt ?? null,
    i.handledAt ?? null, i.closedAt ?? null, i.reminders ?? 0, i.escalatedAt ?? null, i.duplicateOf ?? null, i.mergedInto ?? null,
    i.feedback ?? null, i.dispatchCount ?? 0, i.returnCount ?? 0, i.selfHandled ? 1 : 0, i.evidencePhoto ?? null,
    i.assistingDepartments && i.assistingDepartments.length > 0 ? JSON.stringify(i.assistingDepartments) : null,
    i.postponeRequest?.deadline ?? null, i.postponeRequest?.reason ?? null, i.postponeRequest?.at ?? null,
  ]
}

export function fromRow(r: IncidentRow): Incident {
  const reporter = r.reporter_name !== null || r.reporter_phone !== null
    ? { ...(r.reporter_name !== null && { name: r.reporter_name }), ...(r.reporter_phone !== null && { phone: r.reporter_phone }) }
    : undefined
  return {
    id: r.id, seq: r.seq, version: r.version, status: r.status as CaseStatus, source: r.source as Source,
    category: r.category, severity: r.severity as Severity, lon: r.lon, lat: r.lat, reportedAt: r.reported_at,
    receivedAt: r.received_at, description: r.description, ...(reporter && { reporter }),
    cell: r.cell, community: r.community, street: r.street, district: r.district,
    ...(r.department !== null && { department: r.department }),
    ...(r.deadline !== null && { deadline: r.deadline }),
    ...(r.rework_count > 0 && { reworkCount: r.rework_count }),
    ...(r.postponed_count > 0 && { postponedCount: r.postponed_count }),
    ...(r.filed_at !== null && { filedAt: r.filed_at }),
    ...(r.dispatched_at !== null && { dispatchedAt: r.dispatched_at }),
    ...(r.handled_at !== null && { handledAt: r.handled_at }),
    ...(r.closed_at !== null && { closedAt: r.closed_at }),
    ...(r.reminders > 0 && { reminders: r.reminders }),
    ...(r.escalated_at !== null && { escalatedAt: r.escalated_at }),
    ...(r.duplicate_of !== null && { duplicateOf: r.duplicate_of }),
    ...(r.merged_into !== null && { mergedInto: r.merged_into }),
    ...(r.feedback !== null && { feedback: r.feedback as 'satisfied' | 'unsatisfied' }),
    ...(r.request_type !== null && { requestType: r.request_type as RequestType }),
    ...(r.dispatch_count > 0 && { dispatchCount: r.dispatch_count }),
    ...(r.return_count > 0 && { returnCount: r.return_count }),
    ...(r.self_handled !== 0 && { selfHandled: true }),
    ...(r.evidence_photo !== null && { evidencePhoto: r.evidence_photo }),
    ...(r.assisting_departments !== null && { assistingDepartments: JSON.parse(r.assisting_departments) as string[] }),
    ...(r.postpone_requested_at !== null && {
      postponeRequest: { deadline: r.postpone_request_deadline!, reason: r.postpone_request_reason!, at: r.postpone_requested_at },
    }),
  }
}
