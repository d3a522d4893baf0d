import type { HistoryRecord } from '../store/repository.js'

/** A slice of the history: its cases with their trails, and how many reports and steps it took. */
export interface Chunk { records: HistoryRecord[], rejected: number, events: number }

type Row = (string | number | null | Row)[]

/**
 * A slice as positional arrays: shorter JSON than objects (no keys), so the worker's stringify and this thread's
 * parse cost less. `decodeChunk(encodeChunk(c))` equals `c` (test/integration/seed.test.ts).
 */
export function encodeChunk(c: Chunk): string {
  const rows: Row[] = c.records.map(({ incident: i, events }) => [
    i.id, i.source, i.category, i.severity, i.lon, i.lat, i.reportedAt, i.receivedAt, i.description, i.reporter?.name ?? null, i.reporter?.phone ?? null,
    i.cell, i.community, i.street, i.district, i.status, i.version, i.department ?? null, i.deadline ?? null, i.reworkCount ?? 0, i.postponedCount ?? 0,
    i.filedAt ?? null, i.dispatchedAt ?? null, i.handledAt ?? null, i.closedAt ?? null, i.duplicateOf ?? null, i.mergedInto ?? null, i.feedback ?? null,
    events.map(e => [e.at, e.actor, e.action, e.from, e.to, e.note ?? null]), i.reminders ?? 0, i.escalatedAt ?? null,
    // migrations 9 and 10: request type, dispatches, returns, self-handling, assisting departments, a pending request
    [i.requestType ?? null, i.dispatchCount ?? 0, i.returnCount ?? 0, i.selfHandled ? 1 : 0, i.evidencePhoto ?? null,
      i.assistingDepartments ?? null, i.postponeRequest ? [i.postponeRequest.deadline, i.postponeRequest.reason, i.postponeRequest.at] : null],
  ])
  return JSON.stringify([c.rejected, c.events, rows])
}

export function decodeChunk(text: string): Chunk {
  const [rejected, events, rows] = JSON.parse(text) as [number, number, unknown[][]]
  const opt = <T>(v: unknown): T | undefined => (v === null ? undefined : v as T)
  const records: HistoryRecord[] = rows.map((r) => {
    const name = opt<string>(r[9])
    const phone = opt<string>(r[10])
    const incident: HistoryRecord['incident'] = {
      id: r[0] as string, source: r[1] as never, category: r[2] as string, severity: r[3] as never, lon: r[4] as number, lat: r[5] as number,
      reportedAt: r[6] as string, receivedAt: r[7] as string, description: r[8] as string,
      reporter: name === undefined && phone === undefined ? undefined : { name, phone },
      cell: r[11] as string, community: r[12] as string, street: r[13] as string, district: r[14] as string, status: r[15] as never, version: r[16] as number,
      seq: 0, department: opt(r[17]), deadline: opt(r[18]), reworkCount: (r[19] as number) || undefined, postponedCount: (r[20] as number) || undefined,
      filedAt: opt(r[21]), dispatchedAt: opt(r[22]), handledAt: opt(r[23]), closedAt: opt(r[24]), duplicateOf: opt(r[25]), mergedInto: opt(r[26]),
      feedback: opt(r[27]), reminders: (r[29] as number) || undefined, escalatedAt: opt(r[30]),
    }
    const [requestType, dispatchCount, returnCount, selfHandled, evidencePhoto, assisting, request] = r[31] as [never, number, number, number, string | null, string[] | null, [string, string, string] | null]
    if (requestType !== null) incident.requestType = requestType
    if (dispatchCount) incident.dispatchCount = dispatchCount
    if (returnCount) incident.returnCount = returnCount
    if (selfHandled) incident.selfHandled = true
    if (evidencePhoto !== null) incident.evidencePhoto = evidencePhoto
    if (assisting !== null) incident.assistingDepartments = assisting
    if (request !== null) incident.postponeRequest = { deadline: request[0], reason: request[1], at: request[2] }
    const events = (r[28] as [string, string, string, string, string, string | null][]).map(e => ({ at: e[0], actor: e[1], action: e[2], from: e[3], to: e[4], note: opt<string>(e[5]) }))
    return { incident, events }
  })
  return { records, rejected, events }
}
