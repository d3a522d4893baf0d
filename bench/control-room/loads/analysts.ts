import { type LoadFactory, loops } from '../load.js'

const DAY_MS = 86_400_000
/** What the analysis view asks for by default (client/stores/analysis.ts), as bench/analysis.ts does. */
const PARTS = 'children,trend,categories,sources,statuses,hourOfWeek,departments'

/**
 * `count` analysts, each looping without a pause over the city's last 30 days: the analysis summary, `/kpis` and the
 * department league — the three reads the issue names, one after another.
 */
export const analystsLoad: LoadFactory = (cfg, rec) => {
  const get = (kind: string, path: string) => rec.request(kind, `${cfg.url}${path}`, { headers: cfg.credentials.headers, timeoutMs: cfg.timeoutMs })
  const workers = loops(cfg.count, async () => {
    const now = Date.now()
    const from = encodeURIComponent(new Date(now - 30 * DAY_MS).toISOString())
    const to = encodeURIComponent(new Date(now).toISOString())
    await get('analysis summary', `/api/v1/analysis/summary?level=city&from=${from}&to=${to}&parts=${PARTS}`)
    await get('kpis', `/api/v1/kpis?scope=city&from=${from}`)
    await get('league', '/api/v1/league?scope=city&by=department&days=30')
  })
  return {
    async prepare() {},
    start: () => workers.start(),
    async stop() {
      await workers.stop()
      return {}
    },
  }
}
