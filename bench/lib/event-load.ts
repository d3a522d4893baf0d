import { benchEvents } from './events.js'
import { ingestHeaders } from './bench-auth.js'

export interface LoadResult { stored: number, failed: number, seconds: number }

/**
 * Background ingest: `perBatch` valid events POSTed every `everyMs` until stopped, not awaited in between (a slow
 * answer must not slow the rate). Bodies are encoded up front for `maxSeconds`, so sending costs the bench little.
 */
export function startEventLoad(url: string, perBatch = 5, everyMs = 100, maxSeconds = 600): { stop: () => Promise<LoadResult> } {
  const batches = Math.ceil((maxSeconds * 1000) / everyMs)
  const events = benchEvents(batches * perBatch, `load-${Date.now()}`)
  const bodies: string[] = []
  for (let k = 0; k < events.length; k += perBatch) bodies.push(JSON.stringify({ events: events.slice(k, k + perBatch) }))

  const inFlight = new Set<Promise<void>>()
  let next = 0
  let stored = 0
  let failed = 0
  const t0 = performance.now()
  const post = async (body: string) => {
    try {
      const res = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...ingestHeaders(url) }, body, signal: AbortSignal.timeout(30_000) })
      const json = await res.json() as { results?: { status: string }[] }
      if (res.status !== 200) { // 429 when overloaded (issue #13): the batch was refused whole
        failed += perBatch
        return
      }
      for (const r of json.results ?? []) {
        if (r.status === 'stored') stored++
        else failed++
      }
    } catch {
      failed += perBatch
    }
  }
  // Paced by the clock, not by counting ticks: a tick delayed by the busy bench process sends what is due.
  const timer = setInterval(() => {
    const due = Math.min(bodies.length, Math.floor((performance.now() - t0) / everyMs))
    while (next < due) {
      const p = post(bodies[next++]!).finally(() => inFlight.delete(p))
      inFlight.add(p)
    }
  }, everyMs)

  return {
    async stop() {
      clearInterval(timer)
      await Promise.all(inFlight)
      return { stored, failed, seconds: (performance.now() - t0) / 1000 }
    },
  }
}
