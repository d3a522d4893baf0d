import type { CaseStatus } from '../../../shared/workflow/states.js'
import { type LoadFactory, loops } from '../load.js'
import { sleep } from '../recorder.js'

const EVERY_MS = 2000
const PAGE = 300

interface OpenCase { id: string, version: number, status: CaseStatus }

/** The forward step an operator takes on a case in each open state (file → dispatch → handle → verify → close). */
const NEXT: Partial<Record<CaseStatus, string>> = {
  reported: 'file', filed: 'dispatch', dispatched: 'handle', postponed: 'dispatch', handled: 'verify-pass', verified: 'close',
}

/**
 * `count` operators, each acting every 2 s on a real open case of the backlog through the case action API
 * (POST /api/v1/incidents/:id/actions), taking the case's next forward step. Each works its own slice of the
 * queue's first page, fetched before the phase (not measured) and again when used up.
 */
export const operatorsLoad: LoadFactory = (cfg, rec) => {
  const headers = { 'content-type': 'application/json', ...cfg.credentials.headers }
  const queues: OpenCase[][] = Array.from({ length: cfg.count }, () => [])
  const notes: string[] = []
  let cursor: string | null = null

  /** The next page of the open queue, dealt out to the operators' own lists. */
  async function deal(): Promise<void> {
    const res = await fetch(`${cfg.url}/api/v1/cases?scope=city&open=1&limit=${PAGE}${cursor ? `&cursor=${cursor}` : ''}`, { headers, signal: AbortSignal.timeout(cfg.timeoutMs) })
    if (!res.ok) throw new Error(`operators: GET /cases: HTTP ${res.status}`)
    const page = await res.json() as { cases: OpenCase[], nextCursor: string | null }
    cursor = page.nextCursor
    page.cases.forEach((c, k) => queues[k % cfg.count]!.push({ id: c.id, version: c.version, status: c.status }))
    if (page.cases.length === 0) notes.push('operators: the open queue was empty')
  }

  const begun = new Set<number>()
  async function actOnce(w: number): Promise<void> {
    // spread over the 2 s, as people do not act in step
    if (!begun.has(w)) {
      begun.add(w)
      await sleep(w * EVERY_MS / cfg.count)
    }
    const t0 = performance.now()
    let c = queues[w]!.shift()
    if (!c) {
      await deal().catch((err: unknown) => notes.push(String(err)))
      c = queues[w]!.shift()
    }
    const action = c && NEXT[c.status]
    if (c && action) {
      const { status, body } = await rec.request<OpenCase>('operator action', `${cfg.url}/api/v1/incidents/${encodeURIComponent(c.id)}/actions`, {
        method: 'POST', headers, timeoutMs: cfg.timeoutMs,
        body: JSON.stringify({ action, version: c.version, actor: 'bench-operator', note: 'control-room bench' }),
      })
      // the case goes back on the list at its new state, to take its next step later
      if (status === 200 && body && NEXT[body.status]) queues[w]!.push({ id: body.id, version: body.version, status: body.status })
    }
    await sleep(Math.max(0, EVERY_MS - (performance.now() - t0)))
  }

  const workers = loops(cfg.count, actOnce)
  return {
    async prepare() {
      // a server too busy to answer now is measured in the phase, not a reason to abort it: the operators deal again
      await deal().catch((err: unknown) => notes.push(`operators: first page before the phase: ${String(err)}`))
    },
    start: () => workers.start(),
    async stop() {
      await workers.stop()
      return { notes }
    },
  }
}
