import type Database from 'better-sqlite3'
import { type Incident, newIncident } from '../../../shared/incident.js'
import { applyCaseChange, auditEntry } from '../case-change.js'
import type { CaseChange, CaseChangeOutcome, CaseRepository, ChangeListener, InsertOutcome, NewIncident, WithinInsert } from '../repository.js'
import { alarmRaiser } from './alarm-queries.js'
import type { RollupUpkeep } from './rollup-upkeep.js'
import { fromRow, INCIDENT_COLUMNS, type IncidentRow, toValues, WORKFLOW_COLUMNS, workflowValues } from './row-mapping.js'

/** The store-wide sequence number: kept in memory, since one writer process owns the file (docs/ARCHITECTURE.md). */
export interface SeqCounter { get: () => number, set: (v: number) => void }

/** Listeners of every stored change, told after commit (CaseRepository.watchChanges). */
export function changeFeed() {
  const listeners = new Set<ChangeListener>()
  return {
    listeners,
    notifyStored(stored: readonly Incident[]) {
      for (const l of listeners) for (const i of stored) l(null, i)
    },
    watchChanges(listener: ChangeListener) {
      listeners.add(listener)
      return () => { listeners.delete(listener) }
    },
  }
}

const HASH_COLUMN = INCIDENT_COLUMNS.indexOf('content_hash')

/** The one insert statement, shared with the benchmark's raw baseline so both bind the same way. */
export function insertSql(): string {
  return `INSERT INTO incidents (${INCIDENT_COLUMNS.join(', ')}) VALUES (${INCIDENT_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT(id) DO NOTHING`
}

/**
 * The write side of CaseRepository: reports stored by ingest and workflow steps, each with the next seq, its audit
 * row (case_events) in the same transaction, and the rollup and change listeners told after commit.
 */
export function caseWrites(db: Database.Database, seq: SeqCounter, upkeep: RollupUpkeep, feed: ReturnType<typeof changeFeed>):
  Pick<CaseRepository, 'insertIncidents' | 'applyCaseChange' | 'applyCaseChanges'> {
  const { rollup } = upkeep
  const insert = db.prepare(insertSql())
  const raiseAlarms = alarmRaiser(db)
  const byId = db.prepare<[string], IncidentRow>('SELECT * FROM incidents WHERE id = ?')
  const hashOf = db.prepare<[string], string | null>('SELECT content_hash FROM incidents WHERE id = ?').pluck()
  const rowidOf = db.prepare<[string], number>('SELECT rowid FROM incidents WHERE id = ?').pluck()

  const insertMany = db.transaction((rows: NewIncident[], receivedAt: string, within: WithinInsert | undefined): InsertOutcome => {
    const stored: Incident[] = []
    const duplicates = new Set<string>()
    const conflicts = new Set<number>()
    rows.forEach(({ input, location }, k) => {
      const incident = newIncident(input, location, seq.get() + 1, receivedAt)
      const values = toValues(incident)
      if (insert.run(values).changes === 1) {
        seq.set(seq.get() + 1)
        // a step for the new row (a duplicate proposal) in the same commit: one disk sync for both
        const change = within?.step?.(incident) ?? null
        const applied = change ? applyChange(change) : null
        stored.push(applied?.kind === 'applied' ? applied.incident : incident)
        return
      }
      duplicates.add(input.id)
      // rows written before migration 19 (or by a history seed of before it hashed its rows) carry no hash: plain duplicates
      const was = hashOf.get(input.id)
      if (typeof was === 'string' && was !== values[HASH_COLUMN]) conflicts.add(k)
    })
    // nothing for the rollup here: the new rows are what the next fold counts
    const candidates = within?.alarms && stored.length > 0 ? within.alarms(stored) : []
    return { stored, duplicates, conflicts, alarms: candidates.length > 0 ? raiseAlarms(candidates) : [] }
  })

  // the case as `applyCaseChange` (server/store/case-change.ts) leaves it, guarded by the version its author saw
  const update = db.prepare(`UPDATE incidents SET status = ?, version = ?, seq = ?, ${WORKFLOW_COLUMNS.map(c => `${c} = ?`).join(', ')}
    WHERE id = ? AND version = ?`)
  const audit = db.prepare('INSERT INTO case_events (incident_id, seq, at, actor, action, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')

  // `moved`: the case's state before the change when its rollup key changed (listeners hear of it after commit)
  type Applied = Exclude<CaseChangeOutcome, { kind: 'applied' }> | (Extract<CaseChangeOutcome, { kind: 'applied' }> & { moved: Incident | null, before: Incident })
  const applyChange = db.transaction((c: CaseChange): Applied => {
    const row = byId.get(c.id)
    if (!row) return { kind: 'not-found' }
    const current = fromRow(row)
    if (current.version !== c.expectedVersion) return { kind: 'stale', current }
    const next = seq.get() + 1
    const after = applyCaseChange(current, c)
    update.run(after.status, after.version, next, ...workflowValues(after), c.id, c.expectedVersion)
    const e = auditEntry(c, current.status)
    audit.run(c.id, next, e.at, e.actor, e.action, e.from, e.to, e.note ?? null)
    seq.set(next)
    const incident = fromRow(byId.get(c.id)!)
    return { kind: 'applied', incident, from: current.status, moved: rollup.moved(current, incident, rowidOf.get(c.id)!) ? current : null, before: current }
  })

  /** A transaction that throws rolled back: so must the in-memory counter. */
  function keepingSeq<T>(write: () => T): T {
    const before = seq.get()
    try {
      return write()
    } catch (err) {
      seq.set(before)
      throw err
    }
  }
  // many changes in one commit (each a savepoint inside it)
  const applyChangesTx = db.transaction((cs: readonly CaseChange[]): Applied[] => cs.map(c => applyChange(c)))
  /** After commit: rollup listeners hear of cases whose rollup key moved. */
  function settleChange(outcome: Applied): CaseChangeOutcome {
    if (outcome.kind !== 'applied') return outcome
    if (outcome.moved) {
      rollup.notify(outcome.moved, -1)
      rollup.notify(outcome.incident, 1)
      upkeep.scheduleFold()
    }
    for (const l of feed.listeners) l(outcome.before, outcome.incident)
    return { kind: 'applied', incident: outcome.incident, from: outcome.from }
  }

  return {
    async insertIncidents(rows, receivedAt, within) {
      const outcome = keepingSeq(() => insertMany(rows, receivedAt, within))
      if (rollup.listeners.size > 0) for (const i of outcome.stored) rollup.notify(i, 1)
      upkeep.afterInsert(outcome.stored.length)
      feed.notifyStored(outcome.stored)
      return outcome
    },
    async applyCaseChange(change) {
      return settleChange(applyChange(change))
    },
    async applyCaseChanges(changes) {
      return keepingSeq(() => applyChangesTx(changes)).map(settleChange)
    },
  }
}
