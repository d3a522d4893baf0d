/**
 * HTTP batch ingest into SQLite vs the raw better-sqlite3 batched insert of the same rows with the same schema,
 * indexes and pragmas, measured in the same run. Target: ≥ 0.50 of raw at batch 100 and ≥ 0.60 at batch 1,000 (and
 * ≥ 40,000 events/s), ack p99 < 200 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { toValues } from '../server/store/sqlite/row-mapping.js'
import { insertSql, openDatabase } from '../server/store/sqlite/sqlite-repository.js'
import { loadCityGeo } from '../server/geo/city-geo.js'
import { newIncident } from '../shared/incident.js'
import type { IncidentInput } from '../shared/schemas/incident.js'
import { benchEvents } from './lib/events.js'
import { startServerProcess } from './lib/server-process.js'
import { fmt, percentile, report } from './lib/stats.js'
import { cpuMs } from './lib/thread-cpu.js'
import { ingestHeaders } from './lib/bench-auth.js'

// Enough requests in flight that the server never waits for the load generator (profiled: with 2 it idled ~38 %),
// few enough that acknowledgements do not queue long behind each other.
const CONCURRENCY = 4

interface HttpFigures { rate: number, p50: number, p99: number, mainCpuUs: number | null, serverCpuUs: number | null }

async function httpIngest(url: string, events: IncidentInput[], batch: number, pid?: number): Promise<HttpFigures> {
  // Bodies encoded up front, so the load generator spends its time sending, not serialising.
  const bodies: Blob[] = []
  for (let k = 0; k < events.length; k += batch) bodies.push(new Blob([JSON.stringify({ events: events.slice(k, k + batch) })]))
  const latencies: number[] = []
  let next = 0
  const cpu0 = pid === undefined ? null : { main: cpuMs(pid, pid), all: cpuMs(pid) }
  const t0 = performance.now()
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!
      const s = performance.now()
      const res = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...ingestHeaders(url) }, body })
      const json = await res.json() as { results: { status: string }[] }
      if (res.status !== 200) throw new Error(`POST /api/v1/events answered ${res.status}: ${JSON.stringify(json)}`)
      latencies.push(performance.now() - s)
      if (json.results.some(r => r.status !== 'stored')) throw new Error(`not all stored: ${JSON.stringify(json.results.find(r => r.status !== 'stored'))}`)
    }
  }))
  const seconds = (performance.now() - t0) / 1000
  const perEvent = (before: number | null | undefined, after: number | null) => before === null || before === undefined || after === null ? null : (after - before) * 1000 / events.length
  return {
    rate: events.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99),
    mainCpuUs: pid === undefined ? null : perEvent(cpu0?.main, cpuMs(pid, pid)),
    serverCpuUs: pid === undefined ? null : perEvent(cpu0?.all, cpuMs(pid)),
  }
}

/** The raw better-sqlite3 limit: the same rows, schema, indexes and pragmas, batched, prepared before timing (also used by the MQTT bench). */
export function rawInsert(events: IncidentInput[], batch: number): { rate: number, cpuUs: number } {
  const geo = loadCityGeo('chengdu')
  const dir = mkdtempSync(path.join(tmpdir(), 'citybrain-raw-'))
  const db = openDatabase(path.join(dir, 'raw.sqlite'))
  const insert = db.prepare(insertSql())
  // Rows prepared before timing: the raw limit is the database's, not our validation's.
  const receivedAt = new Date().toISOString()
  const rows = events.map((e, k) => toValues(newIncident(e, geo.locate(e.lon, e.lat)!, k + 1, receivedAt)))
  const tx = db.transaction((chunk: typeof rows) => { for (const r of chunk) insert.run(r) })
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  for (let k = 0; k < rows.length; k += batch) tx(rows.slice(k, k + batch))
  const rate = rows.length / ((performance.now() - t0) / 1000)
  const cpu = process.cpuUsage(cpu0)
  db.close()
  rmSync(dir, { recursive: true, force: true })
  return { rate, cpuUs: (cpu.user + cpu.system) / rows.length }
}

/**
 * `--events N` (or INGEST_BENCH_EVENTS): events per batch size, for HTTP and for raw alike, instead of 30,000 (batch
 * 100) and 100,000 (batch 1,000, and raw) — a short run on a shared machine.
 */
function eventCounts(): { http: Record<Batch, number>, raw: number } {
  const k = process.argv.indexOf('--events')
  const given = k >= 0 ? process.argv[k + 1] : process.env.INGEST_BENCH_EVENTS
  if (given === undefined) return { http: { 100: 30_000, 1000: 100_000 }, raw: 100_000 }
  const n = Number(given)
  if (!Number.isInteger(n) || n < 2_000) throw new Error(`--events: expected a whole number ≥ 2,000, got ${given}`)
  return { http: { 100: n, 1000: n }, raw: n }
}

type Batch = 100 | 1000
// the target at each batch size (issue #13: ≥ 0.50 at batch 100, ≥ 0.60 at batch 1,000, in the same run)
const TARGET: Record<Batch, number> = { 100: 0.5, 1000: 0.6 }

export async function benchIngest(): Promise<void> {
  console.log('\n## HTTP batch ingest → SQLite (server in a child process, 4 concurrent requests)')
  const counts = eventCounts()
  const server = await startServerProcess()
  const results: Record<number, HttpFigures> = {}
  try {
    await httpIngest(server.url, benchEvents(5_000, 'warm'), 500) // JIT warm-up, not reported
    for (const batch of [100, 1000] as const) {
      results[batch] = await httpIngest(server.url, benchEvents(counts.http[batch], `b${batch}`), batch, server.child.pid)
    }
  } finally {
    await server.stop()
  }
  for (const batch of [100, 1000] as const) {
    const { rate: raw, cpuUs: rawCpuUs } = rawInsert(benchEvents(counts.raw, `raw${batch}`), batch)
    const r = results[batch]!
    console.log(`batch ${batch}: HTTP ${fmt(r.rate)} events/s, ack p50 ${fmt(r.p50, 1)} ms, p99 ${fmt(r.p99, 1)} ms; raw better-sqlite3 ${fmt(raw)} rows/s`)
    const ratio = r.rate / raw
    // The target is relative to the raw limit measured in this run; 40,000/s is what 50 % meant on a quieter machine
    // (raw 100k–145k rows/s), so it is printed but not the verdict.
    report(`ingest batch ${batch}`, `${fmt(r.rate)} events/s (p99 ${fmt(r.p99)} ms)`, `raw ${fmt(raw)} rows/s`, ratio, `≥ ${TARGET[batch].toFixed(2)} with ack p99 < 200 ms`, ratio >= TARGET[batch] && r.p99 < 200)
    console.log(`      absolute: ${fmt(r.rate)} events/s ${r.rate >= 40_000 ? '≥' : '<'} 40,000/s`)
    // Little's law for this closed loop: CONCURRENCY requests of `batch` in flight make the mean ack CONCURRENCY ×
    // batch ÷ the rate, whatever the server does; even a server as fast as raw SQLite could not answer sooner on average
    console.log(`      queueing floor: ${CONCURRENCY} × ${batch} in flight → mean ack ${fmt((CONCURRENCY * batch * 1000) / r.rate)} ms at this rate, ${fmt((CONCURRENCY * batch * 1000) / raw)} ms even at the raw rate`)
    // what each side needs of a core, which a busy machine hardly changes (the rates above it changes a lot): the
    // server's main thread is where the commit runs, so raw CPU per row ÷ its CPU per event is the ratio it could
    // reach on a quiet machine if the main thread is the bottleneck (not so where fsync waits dominate, batch 100)
    if (r.mainCpuUs !== null) {
      console.log(`      CPU per event: server main thread ${fmt(r.mainCpuUs, 1)} µs, whole server ${fmt(r.serverCpuUs ?? Number.NaN, 1)} µs; raw ${fmt(rawCpuUs, 1)} µs per row → main-thread CPU ratio ${(rawCpuUs / r.mainCpuUs).toFixed(2)}`)
    }
  }
}
