import type Database from 'better-sqlite3'
import { type Incident, newIncident } from '../../../shared/incident.js'
import { applyCaseChange, auditEntry } from '../case-change.js'
import { contentHash } from '../content-hash.js'
import type { CaseChange, CaseChangeOutcome, CaseRepository, ChangeListener, InsertOutcome } from '../repository.js'
import type { RollupListeners } from './rollup.js'
import { toValues, workflowValues } from './row-mapping.js'
import type { StoreWriter } from './writer/store-writer.js'
import type { AppliedChange, InsertPlan, PlannedStep } from './writer/write-tasks.js'


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

/** A duplicate proposal as the writer writes it: the case after the step, and its audit row. */
function planStep(incident: Incident, change: CaseChange): { step: PlannedStep, after: Incident } {
  const after = applyCaseChange(incident, change)
  const e = auditEntry(change, incident.status)
  return {
    after,
    step: { status: after.status, version: after.version, workflow: workflowValues(after), audit: { at: e.at, actor: e.actor, action: e.action, from: e.from, to: e.to, note: e.note ?? null } },
  }
}

/**
 * The write side of CaseRepository on the main thread: it decides what a commit holds (which reports are new, their
 * duplicate proposals and alarms, from the in-memory state `within` keeps), the writer (writer/store-writer.ts)
 * writes it with the seqs and the audit rows in one transaction, and the rollup and change listeners hear of it here
 * after commit.
 */
export function caseWrites(db: Database.Database, writer: StoreWriter, rollup: RollupListeners, feed: ReturnType<typeof changeFeed>):
  Pick<CaseRepository, 'insertIncidents' | 'applyCaseChange' | 'applyCaseChanges'> {
  // the hash each stored id was stored with (null: stored before hashes), read on this thread's connection
  const storedHash = db.prepare<[string], { h: string | null }>('SELECT content_hash AS h FROM incidents WHERE id = ?')
  /** New ids of commits sent to the writer and not yet answered, with their hashes: not new to the next plan. */
  const inFlight = new Map<string, string>()
  /** Failed commits so far: InsertPlan.epoch. */
  let epoch = 0

  /** After commit: listeners hear of the change; the rollup's of cases whose rollup key moved. */
  function settle(outcome: AppliedChange): CaseChangeOutcome {
    if (outcome.kind !== 'applied') return outcome
    if (outcome.moved) {
      rollup.notify(outcome.before, -1)
      rollup.notify(outcome.incident, 1)
    }
    for (const l of feed.listeners) l(outcome.before, outcome.incident)
    return { kind: 'applied', incident: outcome.incident, from: outcome.from }
  }

  return {
    /**
     * Planned here, synchronously, when called: a commit may be planned while the one before is still in the writer
     * (group commit keeps two in flight), against what is stored and what is in flight.
     */
    async insertIncidents(rows, receivedAt, within): Promise<InsertOutcome> {
      const duplicates = new Set<string>()
      const conflicts = new Set<number>()
      const firstHash = new Map<string, string>()
      const plan: InsertPlan = { epoch, rows: [], steps: [], alarms: [] }
      const fresh: Incident[] = [] // new reports, seq still to come
      const afterSteps: Incident[] = [] // the same after their proposal: what the alarms are raised from
      rows.forEach(({ input, location, hash }, k) => {
        const incident = newIncident(input, location, 0, receivedAt)
        const h = hash ?? contentHash(incident)
        const id = input.id
        // rows written before migration 19 (or by a history seed of before it hashed its rows) carry no hash: plain duplicates
        const was = firstHash.get(id) ?? inFlight.get(id) ?? storedHash.get(id)
        if (was !== undefined) {
          duplicates.add(id)
          const hashWas = typeof was === 'string' ? was : was.h
          if (hashWas !== null && hashWas !== h) conflicts.add(k)
          return
        }
        firstHash.set(id, h)
        plan.rows.push(toValues(incident, h))
        // a step for the new row (a duplicate proposal) in the same commit: one disk sync for both
        const change = within?.step?.(incident) ?? null
        const planned = change ? planStep(incident, change) : null
        plan.steps.push(planned?.step ?? null)
        fresh.push(incident)
        afterSteps.push(planned?.after ?? incident)
      })
      if (within?.alarms && afterSteps.length > 0) plan.alarms = within.alarms(afterSteps)
      for (const [id, h] of firstHash) inFlight.set(id, h)
      let done
      try {
        done = await writer.run('insert', plan)
      } catch (err) {
        if (plan.epoch === epoch) epoch += 1 // the plans made since rested on this one: the writer refuses them
        throw err
      } finally {
        for (const id of firstHash.keys()) inFlight.delete(id)
      }
      // the seqs as the writer handed them out: one for each row, one more for each step
      let s = done.seqBefore
      let stepped = 0
      const stored = fresh.map((incident, k) => {
        incident.seq = ++s
        if (!plan.steps[k]) return incident
        s += 1
        return done.stepped[stepped++]!
      })
      if (rollup.size > 0) for (const i of stored) rollup.notify(i, 1)
      feed.notifyStored(stored)
      return { stored, duplicates, conflicts, alarms: done.alarms }
    },
    async applyCaseChange(change) {
      return settle((await writer.run('applyChanges', [change]))[0]!)
    },
    async applyCaseChanges(changes) {
      return (await writer.run('applyChanges', changes)).map(settle)
    },
  }
}
