import { getCategory } from '../../shared/categories.js'
import type { Incident } from '../../shared/incident.js'
import { isOpen } from '../../shared/workflow/states.js'
import type { Open311Record } from '../store/repository.js'
import type { Value } from './format.js'
import { serviceNotice } from './services.js'

/** Our workflow in the spec's two states, with the step spelled out in status_notes (Chinese, then English). */
function statusNotes(i: Incident): string {
  switch (i.status) {
    case 'reported': return '已受理，待立案 (received, awaiting acceptance)'
    case 'filed': return '已立案，待派遣 (accepted, awaiting dispatch)'
    case 'dispatched': return `已派遣至${i.department ?? '责任单位'}处置 (dispatched to ${i.department ?? 'the responsible department'})`
    case 'handled': return '处置完成，待核查 (handled, awaiting verification)'
    case 'verified': return '核查通过，待结案 (verified, awaiting closure)'
    case 'postponed': return '缓办 (postponed)'
    case 'closed': return '已结案 (closed)'
    case 'rejected': return '不予立案 (not accepted)'
    case 'merged': return `与 ${i.mergedInto ?? ''} 重复，已合并 (duplicate of ${i.mergedInto ?? 'another request'}, merged)`
  }
}

/** ISO 8601 in the city's zone (the spec requires an offset; +08:00 reads naturally to the city's clients). */
export function localIso(iso: string | undefined, utcOffsetMinutes: number): string | null {
  if (!iso) return null
  const ms = Date.parse(iso)
  if (!Number.isFinite(ms)) return null
  const local = new Date(ms + utcOffsetMinutes * 60_000).toISOString().slice(0, 19)
  const sign = utcOffsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(utcOffsetMinutes)
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

export interface ViewDeps {
  utcOffsetMinutes: number
  /** "成都市锦江区春熙路街道…社区": where a report without an address_string was located. */
  placeName: (i: Incident) => string
}

/**
 * One service request as GET requests answers it, in the spec's field order. The reporter's name, phone and email
 * are personal data and never appear here.
 */
export function requestView(r: Open311Record, deps: ViewDeps): Value {
  const i = r.incident
  const category = getCategory(i.category)
  return {
    service_request_id: i.id,
    status: isOpen(i.status) ? 'open' : 'closed',
    status_notes: statusNotes(i),
    service_name: category?.name ?? i.category,
    service_code: i.category,
    description: i.description,
    agency_responsible: i.department ?? null,
    service_notice: category ? serviceNotice(category) : null,
    requested_datetime: localIso(i.reportedAt, deps.utcOffsetMinutes),
    updated_datetime: localIso(r.updatedAt, deps.utcOffsetMinutes),
    expected_datetime: localIso(i.deadline, deps.utcOffsetMinutes),
    address: r.details?.address ?? deps.placeName(i),
    address_id: null,
    zipcode: null,
    lat: i.lat,
    long: i.lon,
    media_url: r.details?.mediaUrl ?? null,
  }
}
