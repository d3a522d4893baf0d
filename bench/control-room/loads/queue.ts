import { type LoadFactory, loops } from '../load.js'
import { sleep } from '../recorder.js'

const EVERY_MS = 5000
/** The console's page (client/stores/case-queue.ts PAGE) and the largest page the API serves (CASE_PAGE_MAX). */
const CONSOLE_PAGE = 300
const WALK_PAGE = 1000

/**
 * `count` clients, each every 5 s: the console's first page of the open queue, then the whole open queue by
 * cursor (pages of 1,000), each request measured, and the whole walk's time. A walk longer than 5 s is followed by
 * the next at once.
 */
export const queueLoad: LoadFactory = (cfg, rec) => {
  const walkMs: number[] = []
  const walkCases: number[] = []
  const url = (limit: number, cursor?: string) => `${cfg.url}/api/v1/cases?scope=city&open=1&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`
  type Page = { cases: unknown[], nextCursor: string | null }
  const init = { headers: cfg.credentials.headers, timeoutMs: cfg.timeoutMs }
  let running = false
  const begun = new Set<number>()

  const workers = loops(cfg.count, async (w) => {
    if (!begun.has(w)) {
      begun.add(w)
      await sleep(w * EVERY_MS / cfg.count)
    }
    const t0 = performance.now()
    const counted = rec.measuring
    await rec.request<Page>('queue page (300)', url(CONSOLE_PAGE), init)
    let cursor: string | undefined
    let cases = 0
    let complete = true
    do {
      const { body } = await rec.request<Page>('queue page (1,000, by cursor)', url(WALK_PAGE, cursor), init)
      if (!body) {
        complete = false
        break
      }
      cases += body.cases.length
      cursor = body.nextCursor ?? undefined
    } while (cursor && running)
    if (complete && running && counted) {
      walkMs.push(performance.now() - t0)
      walkCases.push(cases)
    }
    if (running) await sleep(Math.max(0, EVERY_MS - (performance.now() - t0)))
  })
  return {
    async prepare() {},
    start() {
      running = true
      workers.start()
    },
    async stop() {
      running = false
      await workers.stop()
      return { queue: { walkMs, walkCases } }
    },
  }
}
