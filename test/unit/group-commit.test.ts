import { describe, expect, it } from 'vitest'
import { type Incident, newIncident } from '../../shared/incident.js'
import type { IngestResult } from '../../shared/incident.js'
import { createGroupCommit } from '../../server/ingest/group-commit.js'
import type { PreparedBatch } from '../../server/ingest/prepare-batch.js'
import type { IncidentRepository, InsertOutcome, NewIncident } from '../../server/store/repository.js'
import { makeInput } from '../fixtures/incidents.js'
import { contentHash } from '../../server/store/content-hash.js'

const LOC = { cell: '8840000000fffff', community: '510104001001', street: '510104001', district: '510104' }

/** A store whose commits finish only when the test says so: what a commit held, and what happened in which order. */
function gatedRepo() {
  const commits: { ids: string[], finish: (fail?: Error) => void }[] = []
  const known = new Set<string>()
  let seq = 0
  const repo = {
    insertIncidents(rows: NewIncident[], receivedAt: string): Promise<InsertOutcome> {
      return new Promise((resolve, reject) => {
        commits.push({
          ids: rows.map(r => r.input.id),
          finish(fail) {
            if (fail) return reject(fail)
            const stored: Incident[] = []
            const duplicates = new Set<string>()
            for (const r of rows) {
              if (known.has(r.input.id)) {
                duplicates.add(r.input.id)
                continue
              }
              known.add(r.input.id)
              stored.push(newIncident(r.input, r.location, ++seq, receivedAt))
            }
            resolve({ stored, duplicates, conflicts: new Set() })
          },
        })
      })
    },
  } as unknown as IncidentRepository
  return { repo, commits }
}

function preparedEvent(slot: number, id: string) {
  const input = makeInput({ id })
  return { slot, input, location: LOC, hash: contentHash(input) }
}

function batch(ids: string[]): PreparedBatch {
  return { results: ids.map(() => null), accepted: ids.map((id, slot) => preparedEvent(slot, id)) }
}

const turn = () => new Promise(r => setImmediate(r))

function setup(maxCommitsInFlight = 1) {
  const g = gatedRepo()
  const log: string[] = []
  const rolledBack: string[][] = []
  const commit = createGroupCommit({
    repo: g.repo,
    now: () => new Date(0),
    maxRowsPerCommit: 4_000,
    maxCommitsInFlight,
    onStored: (stored) => { log.push(`stored ${stored.map(i => i.id).join(',')}`) },
    onFanOutError: (err) => { throw err },
    rolledBack: rows => rolledBack.push(rows.map(r => r.input.id)),
  })
  const answered = (name: string) => (r: IngestResult[]) => {
    log.push(`answered ${name}`)
    return r
  }
  return { ...g, commit, log, rolledBack, answered }
}

describe('group commit', () => {
  it('lets batches that arrive during a commit share the next one, and answers each only after its commit', async () => {
    const { commit, commits, log, answered } = setup()
    const a = commit.submit(batch(['a1', 'a2'])).then(answered('a'))
    await turn()
    expect(commits.map(c => c.ids)).toEqual([['a1', 'a2']])
    // while the first commit is in progress
    const b = commit.submit(batch(['b1'])).then(answered('b'))
    const c = commit.submit(batch(['c1', 'c2'])).then(answered('c'))
    await turn()
    expect(commits).toHaveLength(1) // nothing starts before the commit in progress ends
    expect(commit.stats()).toMatchObject({ eventsAwaitingCommit: 3, batchesAwaitingCommit: 2, committing: true })
    expect(log).toEqual([])

    commits[0]!.finish()
    expect(await a).toEqual([{ id: 'a1', status: 'stored' }, { id: 'a2', status: 'stored' }])
    await turn()
    expect(commits.map(x => x.ids)).toEqual([['a1', 'a2'], ['b1', 'c1', 'c2']]) // one transaction for both
    expect(log).toEqual(['stored a1,a2', 'answered a'])

    commits[1]!.finish()
    expect(await b).toEqual([{ id: 'b1', status: 'stored' }])
    expect(await c).toEqual([{ id: 'c1', status: 'stored' }, { id: 'c2', status: 'stored' }])
    // the fan-out ran once for the shared commit, before either request was answered
    expect(log).toEqual(['stored a1,a2', 'answered a', 'stored b1,c1,c2', 'answered b', 'answered c'])
    expect(commit.stats()).toMatchObject({ eventsAwaitingCommit: 0, commits: 2, committing: false })
  })

  it('with two in flight, hands the next commit over while one is written, and answers them in order', async () => {
    const { commit, commits, log, answered } = setup(2)
    const a = commit.submit(batch(['a1'])).then(answered('a'))
    await turn()
    const b = commit.submit(batch(['b1'])).then(answered('b'))
    await turn()
    // the second commit started while the first is still being written; a third waits for one of them
    expect(commits.map(c => c.ids)).toEqual([['a1'], ['b1']])
    expect(commit.stats()).toMatchObject({ commitsInFlight: 2, eventsInCommit: 2 })
    const c = commit.submit(batch(['c1'])).then(answered('c'))
    await turn()
    expect(commits).toHaveLength(2)
    expect(commit.stats()).toMatchObject({ eventsAwaitingCommit: 1 })
    // the store answers in the order it was handed the commits (the writer's queue)
    commits[0]!.finish()
    expect(await a).toEqual([{ id: 'a1', status: 'stored' }])
    await turn()
    expect(commits.map(x => x.ids)).toEqual([['a1'], ['b1'], ['c1']])
    commits[1]!.finish()
    await b
    commits[2]!.finish()
    await c
    expect(log).toEqual(['stored a1', 'answered a', 'stored b1', 'answered b', 'stored c1', 'answered c'])
    expect(commit.stats()).toMatchObject({ commitsInFlight: 0, eventsInCommit: 0, committing: false })
  })

  it('stores an id once across the batches of one commit: the first occurrence, the others are duplicates', async () => {
    const { commit, commits } = setup()
    const first = commit.submit(batch(['x', 'y']))
    const second = commit.submit(batch(['y', 'z']))
    await turn()
    expect(commits).toHaveLength(1)
    commits[0]!.finish()
    expect(await first).toEqual([{ id: 'x', status: 'stored' }, { id: 'y', status: 'stored' }])
    expect(await second).toEqual([{ id: 'y', status: 'duplicate' }, { id: 'z', status: 'stored' }])
  })

  it('keeps the results of events refused before the commit in their places', async () => {
    const { commit, commits } = setup()
    const prepared: PreparedBatch = {
      results: [{ id: 'bad', status: 'rejected', error: 'severity: invalid' }, null],
      accepted: [preparedEvent(1, 'good')],
    }
    const answer = commit.submit(prepared)
    await turn()
    commits[0]!.finish()
    expect(await answer).toEqual([{ id: 'bad', status: 'rejected', error: 'severity: invalid' }, { id: 'good', status: 'stored' }])
    // a batch with nothing to store is answered without a commit
    expect(await commit.submit({ results: [{ id: null, status: 'rejected', error: 'id: required' }], accepted: [] })).toHaveLength(1)
    expect(commits).toHaveLength(1)
  })

  it('fails every batch of a failed commit (none was acknowledged) and goes on with the next', async () => {
    const { commit, commits, rolledBack } = setup()
    const a = commit.submit(batch(['f1']))
    const b = commit.submit(batch(['f2']))
    await turn()
    const c = commit.submit(batch(['ok']))
    commits[0]!.finish(new Error('disk full'))
    await expect(a).rejects.toThrow('disk full')
    await expect(b).rejects.toThrow('disk full')
    expect(rolledBack).toEqual([['f1', 'f2']])
    await turn()
    commits[1]!.finish()
    expect(await c).toEqual([{ id: 'ok', status: 'stored' }])
  })

  it('takes whole batches up to the size bound per commit', async () => {
    const g = gatedRepo()
    const commit = createGroupCommit({ repo: g.repo, now: () => new Date(0), maxRowsPerCommit: 3, onStored: () => {}, onFanOutError: () => {} })
    const answers = [commit.submit(batch(['p1', 'p2'])), commit.submit(batch(['q1', 'q2'])), commit.submit(batch(['r1']))]
    await turn()
    expect(g.commits.map(c => c.ids)).toEqual([['p1', 'p2']]) // p + q would be 4 > 3
    g.commits[0]!.finish()
    await turn()
    await turn()
    expect(g.commits.map(c => c.ids)).toEqual([['p1', 'p2'], ['q1', 'q2', 'r1']])
    g.commits[1]!.finish()
    expect((await Promise.all(answers)).flat().every(r => r.status === 'stored')).toBe(true)
  })
})
