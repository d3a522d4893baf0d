import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IncidentSummary } from '../../shared/incident.js'
import { parseScope } from '../../shared/scope.js'
import { listCasesSql } from '../../server/store/sqlite/case-queries.js'
import { openDatabase } from '../../server/store/sqlite/sqlite-repository.js'
import { api, inputIn, post, type Running, startApp } from './harness.js'

interface Page { cases: IncidentSummary[], nextCursor: string | null, seq: number }

let s: Running
beforeAll(async () => { s = await startApp() })
afterAll(async () => { await s.stop() })

const get = async (query: string) => {
  const res = await api(s, `/api/v1/cases?${query}`)
  return { status: res.status, body: await res.json() as Page & { details?: { path: string }[] } }
}

describe('case queue query plan', () => {
  // The status index reads every open case and sorts them (853 ms for 185,000 open cases): the queue must walk the
  // reported_ms index newest first and stop at the page's end, for every scope level, first page or later.
  it('walks incidents_reported in order, never sorting the whole scope', () => {
    const db = openDatabase(':memory:')
    try {
      for (const level of [null, 'district', 'street'] as const) {
        for (const openOnly of [true, false]) {
          for (const paged of [false, true]) {
            const plan = db.prepare(`EXPLAIN QUERY PLAN ${listCasesSql(level, openOnly, paged)}`)
              .all({ limit: 200, ...(level && { code: '510104' }), ...(paged && { ms: Date.now(), seq: 10 }) }) as { detail: string }[]
            const text = plan.map(p => p.detail).join(' | ')
            const index = level ? `incidents_${level}_reported` : 'incidents_reported'
            expect(text, `${level ?? 'city'} open=${openOnly} paged=${paged}`).toMatch(new RegExp(`USING INDEX ${index}\\b`))
            expect(text).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/) // only ties of reported_ms are sorted (by seq)
          }
        }
      }
    } finally {
      db.close()
    }
  })
})

describe('GET /api/v1/cases paging', () => {
  it('pages the open queue with a cursor, newest report first, stable while new cases arrive', async () => {
    const base = Date.now() - 3_600_000
    // 3 reports per minute, so rows share reported_ms and the cursor's seq decides between them
    const events = Array.from({ length: 120 }, (_, k) => inputIn(s.app, '510112', { reportedAt: new Date(base + Math.floor(k / 3) * 60_000).toISOString() }))
    expect((await post(s.url, { events })).status).toBe(200)
    const stored = await s.app.repo.changedSince(0, parseScope('district:510112')!, 10_000)
    const expected = stored
      .sort((a, b) => Date.parse(b.reportedAt) - Date.parse(a.reportedAt) || b.seq - a.seq)
      .map(i => i.id)

    const seen: string[] = []
    let page = (await get('scope=district:510112&limit=50')).body
    expect(page.seq).toBe(await s.app.repo.currentSeq())
    seen.push(...page.cases.map(i => i.id))
    // new reports arrive between pages: they sort before the cursor, so later pages neither repeat nor skip
    const late = Array.from({ length: 10 }, () => inputIn(s.app, '510112'))
    expect((await post(s.url, { events: late })).status).toBe(200)
    while (page.nextCursor) {
      page = (await get(`scope=district:510112&limit=50&cursor=${page.nextCursor}`)).body
      seen.push(...page.cases.map(i => i.id))
    }
    expect(seen).toEqual(expected)
    expect(page.cases).toHaveLength(20)

    const first = (await get('scope=district:510112&limit=10')).body
    expect(first.cases.map(i => i.id).sort()).toEqual(late.map(e => e.id).sort())
  })

  it('answers 400 naming the field for a bad cursor or limit', async () => {
    for (const [query, field] of [['cursor=abc', 'cursor'], ['cursor=1_2_3', 'cursor'], ['limit=0', 'limit'], ['limit=5000', 'limit'], ['limit=x', 'limit']] as const) {
      const res = await get(query)
      expect(res.status, query).toBe(400)
      expect(res.body.details?.map(d => d.path), query).toContain(field)
    }
  })
})
