import { apiRange, presetRange } from '../../../client/analysis/url-state.js'
import { kpiWindowFrom } from '../../../shared/kpi/window.js'
import { type LoadFactory, loops } from '../load.js'
import { sleep } from '../recorder.js'

/** What the analysis view asks for by default (client/stores/analysis.ts), as bench/analysis.ts does. */
const PARTS = 'children,trend,categories,sources,statuses,hourOfWeek,departments'
/** The backlog's city (Chengdu, UTC+8). */
const UTC_OFFSET_MINUTES = 480

/**
 * `count` analysts, each looping without a pause over the city's last 30 days: the analysis summary, `/kpis` and the
 * department league — the three reads the issue names, one after another. Each URL is built as the product's own
 * client builds it (the analysis view's "30 days" preset, the KPI tiles' window), so identical screens send identical
 * requests, as they do in a control room. Each analyst is a browser: an answer whose `Cache-Control: max-age` (less
 * its `Age`) has not run out is taken from its own cache, not asked again (`cfg.browserCache`; off: every turn of the
 * loop asks the server).
 */
export const analystsLoad: LoadFactory = (cfg, rec) => {
  const get = (kind: string, path: string) => rec.request(kind, `${cfg.url}${path}`, { headers: cfg.credentials.headers, timeoutMs: cfg.timeoutMs })
  // per analyst (its browser): url → when its cached answer goes stale
  const caches = Array.from({ length: cfg.count }, () => new Map<string, number>())
  const workers = loops(cfg.count, async (worker) => {
    const fresh = caches[worker]!
    {
      const now = Date.now()
      const today = new Date(now + UTC_OFFSET_MINUTES * 60_000).toISOString().slice(0, 10)
      const preset = presetRange('30d', today)
      const range = apiRange(preset.from, preset.to, now, UTC_OFFSET_MINUTES)
      const from = encodeURIComponent(new Date(range.fromMs).toISOString())
      const to = encodeURIComponent(new Date(range.toMs).toISOString())
      const asks: [string, string][] = [
        ['analysis summary', `/api/v1/analysis/summary?level=city&from=${from}&to=${to}&parts=${PARTS}`],
        ['kpis', `/api/v1/kpis?scope=city&from=${encodeURIComponent(kpiWindowFrom(now, UTC_OFFSET_MINUTES))}`],
        ['league', '/api/v1/league?scope=city&by=department&days=30'],
      ]
      let asked = false
      for (const [kind, path] of asks) {
        if (cfg.browserCache && (fresh.get(path) ?? 0) > Date.now()) continue
        asked = true
        const res = await get(kind, path)
        const lifetime = res.headers ? freshFor(res.headers) : 0
        if (lifetime > 0) fresh.set(path, Date.now() + lifetime)
      }
      // every answer still fresh in the browser: the next ask goes out when the first of them runs out
      if (!asked) await sleep(Math.max(1, Math.min(...fresh.values()) - Date.now()))
    }
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

/** How long a browser may reuse a response (ms): `max-age` less `Age` (RFC 9111 §4.2), 0 without a max-age. */
function freshFor(h: Headers): number {
  const m = /max-age=(\d+)/.exec(h.get('cache-control') ?? '')
  if (!m || /no-cache|no-store/.test(h.get('cache-control') ?? '')) return 0
  return Math.max(0, Number(m[1]) - Number(h.get('age') ?? 0)) * 1000
}
