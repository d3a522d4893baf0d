import type Database from 'better-sqlite3'
import type { CaseAuditRepository } from '../repository.js'

type EventRow = { seq: number, at: string, actor: string, action: string, from_status: string, to_status: string, note: string | null }

/** Reads the case audit trail (its rows are written with each step, in case-writes.ts and by the history import). */
export function caseAuditQueries(db: Database.Database): CaseAuditRepository {
  const events = db.prepare<[string], EventRow>('SELECT seq, at, actor, action, from_status, to_status, note FROM case_events WHERE incident_id = ? ORDER BY id')
  return {
    async caseEvents(id) {
      return events.all(id).map(e => ({ seq: e.seq, at: e.at, actor: e.actor, action: e.action, from: e.from_status, to: e.to_status, ...(e.note !== null && { note: e.note }) }))
    },
  }
}
