import type { Incident } from '../../../shared/incident.js'
import type { CaseStatus } from '../../../shared/workflow/states.js'

/** What an Open311 client sent beyond the incident schema (issue #15). */
export interface Open311Details { id: string, address?: string, mediaUrl?: string, attributes: Record<string, string | string[]> }
/** GET requests of GeoReport v2: by ids, or by categories, report-time range and statuses; newest report first. */
export interface Open311Query { ids?: readonly string[], categories?: readonly string[], fromMs: number, toMs: number, statuses?: readonly CaseStatus[], limit: number }
/** `updatedAt`: the latest workflow step's time (none yet: the report's receipt). */
export interface Open311Record { incident: Incident, details: Open311Details | null, updatedAt: string }

/** Open311 (issue #15): the details of a report stored through the ingest path, and the GET requests' reads. */
export interface Open311Repository {
  saveOpen311Details: (details: Open311Details) => Promise<void>
  open311Requests: (q: Open311Query) => Promise<Open311Record[]>
}
