/** The analysis bench's requests: what it asks the API, and the same figures scanned raw from the incidents table. */
import type Database from 'better-sqlite3'
import { type AnalysisFilters, type DrillLevel, HOUR_MS } from '../shared/analysis.js'
import { CATEGORIES } from '../shared/categories.js'
import { SOURCES } from '../shared/enums.js'
import { mulberry32 } from '../shared/random.js'
import { loadCityGeo } from '../server/geo/city-geo.js'
import { rawParts, type RawQuery } from '../test/support/analysis-raw.js'

const DAY_MS = 86_400_000
export const LEVELS = ['city', 'district', 'street', 'community', 'cell'] as const satisfies readonly DrillLevel[]
export const REQUESTS = 200
/**
 * What the view asks for (client/stores/analysis.ts: the default parts): children (counts by unit; grid cells at
 * community level: the cell heat), trend with 环比 and 同比, categories, sources, statuses, hour-of-week, departments.
 */
export const PARTS = 'children,trend,categories,sources,statuses,hourOfWeek,departments'

export interface Request { level: DrillLevel, code: string, fromMs: number, toMs: number, filters: AnalysisFilters }

/** 40 requests per level in a shuffled order: random units, spans from an hour to the whole range, some filters. */
export function randomRequests(fromMs: number, toMs: number): Request[] {
  const geo = loadCityGeo('chengdu')
  const rng = mulberry32(20261130)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!
  const units = [...geo.units.values()]
  const codes: Record<DrillLevel, string[]> = {
    city: [geo.info.code],
    district: geo.districts.map(d => d.code),
    street: units.filter(u => u.level === 'street').map(u => u.code),
    community: units.filter(u => u.level === 'community').map(u => u.code),
    cell: geo.cells.filter(c => c.population > 0).map(c => c.h3),
  }
  const bigClasses = [...new Set(CATEGORIES.map(c => c.bigClass))]
  const spans = [HOUR_MS, DAY_MS, 7 * DAY_MS, 30 * DAY_MS, 90 * DAY_MS, toMs - fromMs]
  const out: Request[] = []
  for (let k = 0; k < REQUESTS; k++) {
    const level = LEVELS[k % LEVELS.length]!
    const span = Math.min(pick(spans), toMs - fromMs)
    const start = Math.floor((fromMs + rng() * (toMs - fromMs - span)) / HOUR_MS) * HOUR_MS
    const filters: AnalysisFilters = {}
    const f = rng()
    if (f < 0.15) filters.category = pick(CATEGORIES).code
    else if (f < 0.3) filters.category = pick(bigClasses)
    if (rng() < 0.2) filters.source = pick(SOURCES)
    if (rng() < 0.1) filters.status = pick(['closed', 'dispatched', 'rejected'] as const)
    out.push({ level, code: pick(codes[level]), fromMs: start, toMs: start + span, filters })
  }
  for (let k = out.length - 1; k > 0; k--) {
    const j = Math.floor(rng() * (k + 1));
    [out[k], out[j]] = [out[j]!, out[k]!]
  }
  return out
}

export function summaryUrl(base: string, r: Request): string {
  const q = new URLSearchParams({ level: r.level, code: r.code, from: new Date(r.fromMs).toISOString(), to: new Date(r.toMs).toISOString(), parts: PARTS })
  for (const [k, v] of Object.entries(r.filters)) if (v !== undefined) q.set(k, v)
  return `${base}/api/v1/analysis/summary?${q}`
}

/** The raw-scan equivalent of one summary: the same figures as GROUP BY queries over the incidents table. */
export function rawScan(db: Database.Database, r: Request): { ms: number, total: number, categories: Record<string, number> } {
  const q: RawQuery = { ...r, utcOffsetMinutes: 480 }
  const t0 = performance.now()
  // the same figures but the trend and its comparison periods (the raw side is spared those)
  const total = rawParts.total(db, q)
  rawParts.children(db, q)
  const categories = rawParts.categories(db, q)
  rawParts.sources(db, q)
  rawParts.statuses(db, q)
  rawParts.hourOfWeek(db, q)
  rawParts.departments(db, q)
  return { ms: performance.now() - t0, total, categories }
}
