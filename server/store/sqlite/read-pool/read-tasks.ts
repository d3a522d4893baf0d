import type Database from 'better-sqlite3'
import { alarmQueries } from '../alarm-queries.js'
import { campaignQueries } from '../campaign-queries.js'
import { caseQueries } from '../case-queries.js'
import { analysisReads } from '../analysis-reads.js'
import { kpiCountsQuery } from '../kpi-counts.js'
import { open311Queries } from '../open311-queries.js'
import type { ReadTasks } from './protocol.js'

/** The pooled reads over one connection (a worker's read-only one, or the store's own when there is no pool). */
export function readTasks(db: Database.Database): ReadTasks {
  const cases = caseQueries(db)
  const kpis = kpiCountsQuery(db)
  const analysis = analysisReads(db)
  return {
    casePage: cases.casePage,
    listCases: cases.listCases,
    kpiCounts: kpis.kpiCounts,
    kpiLedgerSource: kpis.kpiLedgerSource,
    analysisIncidents: analysis.analysisIncidents,
    analysisPoints: analysis.analysisPoints,
    campaignFacts: campaignQueries(db).campaignFacts,
    open311Requests: open311Queries(db).open311Requests,
    // every 10 s, every open overdue case is checked for its alarm (thousands in a backlog); raising stays on the
    // writer, and a key raised meanwhile is skipped there
    overdueWithoutAlarm: alarmQueries(db).overdueWithoutAlarm,
  }
}
