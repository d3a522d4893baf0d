import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Incident } from '../../shared/incident.js'
import { parseScope } from '../../shared/scope.js'
import { makeInput } from '../fixtures/incidents.js'
import { api, inputIn, post, type Running, startApp } from './harness.js'

// Ingest off the main thread and by group commit (issue #13): what is prepared in a worker answers as before, and what
// the commit holds (duplicate proposals, alarms) is there the moment the request is answered — nothing to wait for.
let s: Running
beforeAll(async () => { s = await startApp() })
afterAll(async () => { await s.stop() })

interface IngestHealth { workers: number, workersReady: number, preparedInline: number, commits: number, eventsAwaitingCommit: number }
const ingestHealth = async () => ((await (await api(s, `/api/v1/health`)).json()) as { queues: { ingest: IngestHealth } }).queues.ingest
const get = async <T>(path: string) => (await api(s, path)).json() as Promise<T>

describe('ingest pipeline', () => {
  it('parses, validates and locates in a worker thread, naming each bad field as before', async () => {
    for (let k = 0; (await ingestHealth()).workersReady === 0; k++) {
      if (k > 600) throw new Error('no ingest worker became ready')
      await new Promise(r => setTimeout(r, 50)) // readiness, not a timing threshold: a busy machine only waits longer
    }
    const before = await ingestHealth()
    expect(before.workers).toBeGreaterThanOrEqual(1)
    const good = inputIn(s.app, '510104')
    const res = await post(s.url, { events: [{ ...inputIn(s.app, '510104'), lat: 'north' }, good, makeInput({ lon: 106.55, lat: 29.56 })] })
    expect(res.status).toBe(200)
    const results = res.body.results as { id: string, status: string, error?: string }[]
    expect(results.map(r => r.status)).toEqual(['rejected', 'stored', 'rejected'])
    expect(results[0]!.error).toMatch(/^lat:/)
    expect(results[2]!.error).toMatch(/outside/)
    const bad = await post(s.url, '{"events": [')
    expect(bad.status).toBe(400)
    expect(bad.body).toMatchObject({ error: 'malformed JSON', details: [{ path: '(body)' }] })
    const after = await ingestHealth()
    expect(after.preparedInline).toBe(before.preparedInline) // both requests went to the worker
    expect(after.commits).toBeGreaterThan(before.commits)
    expect(after.eventsAwaitingCommit).toBe(0)
  })

  it('writes a duplicate proposal in the commit of its report: proposed when the request is answered', async () => {
    const first = inputIn(s.app, '510108', { category: '0105', source: 'grid_worker' })
    const call = { ...inputIn(s.app, '510108', { category: '0105', source: 'hotline_12345' }), lon: first.lon + 0.0001, lat: first.lat }
    const res = await post(s.url, { events: [first, call] })
    expect(res.body.results).toEqual([{ id: first.id, status: 'stored' }, { id: call.id, status: 'stored' }])
    // no polling: the answer came after the commit that holds the proposal
    expect(await get<Incident>(`/api/v1/incidents/${call.id}`)).toMatchObject({ duplicateOf: first.id, status: 'reported', version: 2 })
    const history = await get<{ action: string, actor: string }[]>(`/api/v1/incidents/${call.id}/events`)
    expect(history).toEqual([expect.objectContaining({ action: 'propose-duplicate', actor: 'system:dedupe' })])
    expect((await get<Incident>(`/api/v1/incidents/${first.id}`)).duplicateOf).toBeUndefined()
  })

  it('stores the alarms of new reports in their commit', async () => {
    const critical = inputIn(s.app, '510112', { severity: 'critical' })
    await post(s.url, { events: [critical] })
    const open = await s.app.repo.openAlarms(parseScope('district:510112')!, 100)
    expect(open.filter(a => a.incidentId === critical.id).map(a => a.kind)).toEqual(['critical'])
  })

  it('serves the parsed-events entry (simulator, Open311, MQTT) through the same commit', async () => {
    const a = inputIn(s.app, '510104')
    const results = await s.app.ingest([a, { ...a }, { nonsense: true }])
    expect(results.map(r => r.status)).toEqual(['stored', 'duplicate', 'rejected'])
    expect(await s.app.repo.getIncident(a.id)).toMatchObject({ id: a.id, version: 1 })
  })
})
