import type { Alarm } from '../../shared/alarms.js'
import type { Incident, IngestResult } from '../../shared/incident.js'
import type { CaseRepository, NewIncident, WithinInsert } from '../store/repository.js'
import type { PreparedBatch } from './prepare-batch.js'

export interface GroupCommitDeps {
  repo: CaseRepository
  /** The instant stamped as each commit's `receivedAt`. */
  now: () => Date
  /** Written in the same commit: duplicate proposals, alarms. */
  within?: WithinInsert
  /** After a failed commit, with the rows it held (state kept for them in memory is undone). */
  rolledBack?: (rows: readonly NewIncident[]) => void
  /**
   * Once per commit, after it, with the stored incidents in sequence order and the alarms raised with them; before
   * any request of it is answered.
   */
  onStored: (incidents: Incident[], alarms: readonly Alarm[]) => void
  /** A failure of `onStored` (the commit stands and its requests are answered; the failure is reported here). */
  onFanOutError: (err: unknown) => void
  /** A commit takes whole batches up to about this many events (bounds how long one blocks the loop). */
  maxRowsPerCommit: number
  /**
   * Commits handed to the store at once (default 1). With a writer thread, 2: the next commit is planned on this
   * thread while the writer writes the one before (the store plans each when called, against those in flight).
   */
  maxCommitsInFlight?: number
}

interface Waiting { batch: PreparedBatch, resolve: (r: IngestResult[]) => void, reject: (e: unknown) => void }

export interface GroupCommitStats {
  /** Events prepared and waiting for the next commit (the commit queue's depth). */
  eventsAwaitingCommit: number
  batchesAwaitingCommit: number
  /** Events in the commits under way (0 between commits). */
  eventsInCommit: number
  /** Commits under way. */
  commitsInFlight: number
  commits: number
  /** Requests (batches) per commit, averaged over the last commits. */
  batchesPerCommit: number
  committing: boolean
}

/**
 * Group commit (issue #13): batches that arrive while a commit is in progress — or in the same turn of the event
 * loop — share the next transaction, so one disk sync serves many requests. Each batch's promise resolves only after
 * the commit that holds its events (and after `onStored`): an acknowledged event is never lost. A failed commit fails
 * every batch in it, none of which was acknowledged.
 */
export function createGroupCommit(deps: GroupCommitDeps) {
  const queue: Waiting[] = []
  let queuedEvents = 0
  let scheduled = false
  let inFlight = 0
  let inCommit = 0
  const maxInFlight = deps.maxCommitsInFlight ?? 1
  let commits = 0
  let avgBatches = 0

  function submit(batch: PreparedBatch): Promise<IngestResult[]> {
    if (batch.accepted.length === 0) return Promise.resolve(batch.results as IngestResult[])
    return new Promise((resolve, reject) => {
      queue.push({ batch, resolve, reject })
      queuedEvents += batch.accepted.length
      schedule()
    })
  }

  function schedule(): void {
    if (scheduled || inFlight >= maxInFlight || queue.length === 0) return
    scheduled = true
    // after the I/O of this turn: whatever arrived meanwhile joins
    setImmediate(() => {
      scheduled = false
      void commitNext()
    })
  }

  async function commitNext(): Promise<void> {
    const group: Waiting[] = []
    let n = 0
    while (queue.length > 0 && (group.length === 0 || n + queue[0]!.batch.accepted.length <= deps.maxRowsPerCommit)) {
      const w = queue.shift()!
      group.push(w)
      n += w.batch.accepted.length
    }
    queuedEvents -= n
    // the prepared events are the rows (input and location): no copy per event
    const rows: NewIncident[] = group.length === 1 ? group[0]!.batch.accepted : group.flatMap(w => w.batch.accepted)
    inFlight += 1
    inCommit += n
    try {
      let stored: Incident[]
      let alarms: readonly Alarm[]
      let conflicts: ReadonlySet<number>
      try {
        const writing = deps.repo.insertIncidents(rows, deps.now().toISOString(), deps.within)
        schedule() // planned when called: the next may be planned while this one is written
        const outcome = await writing
        stored = outcome.stored
        alarms = outcome.alarms ?? []
        conflicts = outcome.conflicts
      } catch (err) {
        deps.rolledBack?.(rows)
        for (const w of group) w.reject(err)
        return
      }
      commits += 1
      avgBatches += (group.length - avgBatches) / Math.min(commits, 100)
      try {
        if (stored.length > 0) deps.onStored(stored, alarms)
      } catch (err) {
        deps.onFanOutError(err)
      }
      settle(group, stored, conflicts)
    } finally {
      inFlight -= 1
      inCommit -= n
      schedule()
    }
  }

  /**
   * Stored, duplicate or conflict per event: an id is stored by its first occurrence in the commit, if it was new; a
   * resend whose content differs from what is stored under its id is a conflict (issue #14). `conflicts` are positions
   * in the commit's rows: the group's batches one after another.
   */
  function settle(group: Waiting[], stored: Incident[], conflicts: ReadonlySet<number>): void {
    const storedIds = new Set<string>()
    for (const i of stored) storedIds.add(i.id)
    let row = 0
    for (const w of group) {
      const results = w.batch.results as IngestResult[]
      for (const e of w.batch.accepted) {
        const id = e.input.id
        const first = storedIds.delete(id) // the next occurrence of the same id is a duplicate
        results[e.slot] = conflicts.has(row) ? { id, status: 'conflict', error: `id: ${id} was already stored with different content` } : { id, status: first ? 'stored' : 'duplicate' }
        row += 1
      }
      w.resolve(results)
    }
  }

  return {
    submit,
    stats: (): GroupCommitStats => ({ eventsAwaitingCommit: queuedEvents, batchesAwaitingCommit: queue.length, eventsInCommit: inCommit, commits, batchesPerCommit: Math.round(avgBatches * 100) / 100, committing: inFlight > 0, commitsInFlight: inFlight }),
  }
}
