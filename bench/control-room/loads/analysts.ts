import { apiRange, presetRange } from '../../../client/analysis/url-state.js'
import { kpiWindowFrom } from '../../../shared/kpi/window.js'
import { type LoadFactory, loops } from '../load.js'

/** What the analysis view asks for by default (client/stores/analysis.ts), as bench/analysis.ts does. */
const PARTS = 'children,trend,categories,sources,statuses,hourOfWeek,departments'
/** The backlog's city (Chengdu, UTC+8). */
const UTC_OFFSET_MINUTES = 480

/**
 * `count` analysts, each looping without a pause over the city's last 30 days: the analysis summary, `/kpis` and the
 * department league — the three reads the issue names, one after another. Each URL is built as the product's own
 * client builds it (the analysis view's "30 days" preset, the KPI tiles' window), so identical screens send identical
 * requests, as they do in a control room.
 */
export const analystsLoad: LoadFactory = (cfg, rec) => {
  const get = (kind: string, path: string) => rec.request(kind, `${cfg.url}${path}`, { headers: cfg.credentials.headers, timeoutMs: cfg.timeoutMs })
  const workers = loops(cfg.count, async () => {
    const now = Date.now()
    const today = new Date(now + UTC_OFFSET_MINUTES * 60_000).toISOString().slice(0, 10)
    const preset = presetRange('30d', today)
    const range = apiRange(preset.from, preset.to, now, UTC_OFFSET_MINUTES)
    const from = encodeURIComponent(new Date(range.fromMs).toISOString())
    const to = encodeURIComponent(new Date(range.toMs).toISOString())
    await get('analysis summary', `/api/v1/analysis/summary?level=city&from=${from}&to=${to}&parts=${PARTS}`)
    await get('kpis', `/api/v1/kpis?scope=city&from=${encodeURIComponent(kpiWindowFrom(now, UTC_OFFSET_MINUTES))}`)
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
