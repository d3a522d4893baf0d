import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createGreenwayStore } from '../../server/greenway/greenway-store.js'
import { createSqliteRepository } from '../../server/store/sqlite/sqlite-repository.js'
import { describeAlarmContract } from './alarm-repository.contract.js'
import { describeAuthContract } from './auth-repository.contract.js'
import { describeCampaignContract } from './campaign-repository.contract.js'
import { describeCaseAuditContract } from './case-audit-repository.contract.js'
import { describeCaseRepositoryContract } from './case-repository.contract.js'
import { describeDeviceContract } from './device-repository.contract.js'
import { describeDisplayLinkContract } from './display-link-repository.contract.js'
import { describeFootfallContract, describeGreenwayChangeContract } from './greenway-repositories.contract.js'
import { describeHistoryImportContract } from './history-import-repository.contract.js'
import { describeKpiCountContract } from './kpi-count-repository.contract.js'
import { describeOpen311Contract } from './open311-repository.contract.js'
import { describeRollupContract } from './rollup-repository.contract.js'

// Every repository contract against the SQLite store, in memory (a fresh database per test). A second implementation
// (PostgreSQL) adds a file like this one that opens its own store.
const sqlite = async () => createSqliteRepository({ dataDir: ':memory:' })
const greenway = async () => createGreenwayStore(':memory:')
/** On a file, where the slow reads (queue pages, KPI counts, drill-down, campaigns, Open311, overdue) go to the read pool. */
const sqliteFile = async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'citybrain-contract-'))
  const repo = createSqliteRepository({ dataDir: dir, readWorkers: 1 })
  return { ...repo, close: async () => { await repo.close(); rmSync(dir, { recursive: true, force: true }) } }
}

describeCaseRepositoryContract('SQLite', sqlite)
describeCaseAuditContract('SQLite', sqlite)
describeAlarmContract('SQLite', sqlite)
describeRollupContract('SQLite', sqlite)
describeKpiCountContract('SQLite', sqlite)
describeDisplayLinkContract('SQLite', sqlite)
describeCampaignContract('SQLite', sqlite)
describeOpen311Contract('SQLite', sqlite)
describeDeviceContract('SQLite', sqlite)
describeHistoryImportContract('SQLite', sqlite)
describeAuthContract('SQLite', sqlite)
describeGreenwayChangeContract('SQLite', greenway)
describeFootfallContract('SQLite', greenway)

describeCaseRepositoryContract('SQLite on file', sqliteFile)
describeAlarmContract('SQLite on file', sqliteFile)
describeRollupContract('SQLite on file', sqliteFile)
describeKpiCountContract('SQLite on file', sqliteFile)
describeCampaignContract('SQLite on file', sqliteFile)
describeOpen311Contract('SQLite on file', sqliteFile)
