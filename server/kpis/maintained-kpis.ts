import type { Incident } from '../../shared/incident.js'
import { COUNT_FIELDS } from '../../shared/kpi/counts.js'
import type { CaseRepository, KpiCountRepository, KpiCountsQuery, KpiCountsRow, KpiGroup } from '../store/repository.js'
import { F, toCounts } from './case-counts.js'
import { KpiLedger } from './ledger.js'

/** What every KPI answer reads (/kpis, the league, the analysis summary's indicators): the store's signature. */
export type KpiCountsSource = Pick<KpiCountRepository, 'kpiCounts'>

export interface MaintainedKpis extends KpiCountsSource {
  /** Resolves when the counts are rebuilt from the store (until then every query reads the store). */
  readonly ready: Promise<void>
  stats: () => { ready: boolean, answered: number, scanned: number, slices: number, pendingDeadlines: number, entries: number, mb: number }
  close: () => void
}

const REPORTED = COUNT_FIELDS.indexOf('reported')
const LEDGER_GROUPS: ReadonlySet<KpiGroup> = new Set(['district', 'street', 'department'])

/** The maintained counts hold city, district and street areas, grouped by those and department, unfiltered. */
function answerable(q: KpiCountsQuery): boolean {
  const f = q.filters ?? {}
  return q.area.community === undefined && q.area.cell === undefined && f.category === undefined && f.source === undefined
    && f.status === undefined && (q.groupBy ?? []).every(g => LEDGER_GROUPS.has(g)) && (q.groupBy ?? []).length <= 2
}

/**
 * KPI counts from the maintained ledger (issue #13): rebuilt from the store at start (on the read pool when there is
 * one), then kept current by every stored change, so /kpis, the league and the summaries' indicators answer without
 * reading the period's incidents. The store's scan (`repo.kpiCounts`, on the read pool) answers what the ledger
 * cannot — community and cell areas, filters, a clock that went back, the start-up — and the part of an hour at a
 * period's ends that holds reports on both sides of the bound.
 */
export function maintainedKpis(deps: { repo: KpiCountRepository & Pick<CaseRepository, 'watchChanges'>, utcOffsetMinutes: number, now: () => number, onError?: (err: unknown) => void }): MaintainedKpis {
  const { repo } = deps
  const ledger = new KpiLedger(deps.utcOffsetMinutes)
  let ready = false
  let closed = false
  const counters = { answered: 0, scanned: 0, slices: 0 }
  // changes stored while the snapshot is read are applied after it (those it already holds are skipped by seq)
  let buffered: [Incident | null, Incident][] | null = []
  const unwatch = repo.watchChanges((before, after) => {
    if (buffered) buffered.push([before, after])
    else ledger.apply(before, after)
  })
  const readyPromise = (async () => {
    const nowMs = deps.now()
    const src = await repo.kpiLedgerSource(new Date(nowMs).toISOString())
    if (closed) return
    await ledger.load(src, nowMs)
    for (const [before, after] of buffered!) if (after.seq > src.seq) ledger.apply(before, after)
    buffered = null
    ready = true
  })().catch((err: unknown) => {
    buffered = null
    unwatch()
    if (!closed) deps.onError?.(err) // else the store closed under the read: nothing went wrong
  })

  async function kpiCounts(q: KpiCountsQuery, nowIso: string): Promise<KpiCountsRow[]> {
    const groupBy = q.groupBy ?? []
    if (!ready || !answerable(q) || !ledger.advance(Date.parse(nowIso))) {
      counters.scanned += 1
      return repo.kpiCounts(q, nowIso)
    }
    counters.answered += 1
    const { groups, slices } = ledger.sum({ area: q.area, fromMs: q.fromMs, toMs: q.toMs, groupBy })
    const byKey = new Map<string, { key: string[], values: Float64Array }>()
    for (const g of groups.values()) byKey.set(g.key.join('\u0000'), g)
    for (const [fromMs, toMs] of slices) {
      counters.slices += 1
      for (const row of await repo.kpiCounts({ area: q.area, fromMs, toMs, groupBy }, nowIso)) {
        const k = row.key.join('\u0000')
        let g = byKey.get(k)
        if (!g) byKey.set(k, g = { key: row.key, values: new Float64Array(F) })
        toVector(row.counts, g.values)
      }
    }
    const rows: KpiCountsRow[] = []
    // as the scan's GROUP BY: only groups with a report in the period; without grouping, exactly one row
    for (const g of byKey.values()) if (groupBy.length === 0 || g.values[REPORTED]! > 0) rows.push({ key: g.key, counts: toCounts(g.values) })
    if (groupBy.length === 0 && rows.length === 0) rows.push({ key: [], counts: toCounts(new Float64Array(F)) })
    if (groupBy.length === 0 && rows.length > 1) throw new Error('maintained KPIs: more than one ungrouped row')
    return rows
  }

  return {
    kpiCounts,
    ready: readyPromise,
    stats() {
      const size = ledger.size()
      return { ready, ...counters, pendingDeadlines: ledger.pendingDeadlines, entries: size.entries, mb: Math.round(size.bytes / 1e5) / 10 }
    },
    close() {
      closed = true
      unwatch()
    },
  }
}

/** v += counts, in COUNT_FIELDS order. */
function toVector(c: KpiCountsRow['counts'], v: Float64Array): void {
  COUNT_FIELDS.forEach((f, k) => { v[k]! += c[f] })
}
