import type { AuthStore } from './auth-records.js'
import type { AlarmRepository } from './contracts/alarm-repository.js'
import type { CampaignRepository } from './contracts/campaign-repository.js'
import type { CaseAuditRepository } from './contracts/case-audit-repository.js'
import type { CaseRepository } from './contracts/case-repository.js'
import type { DeviceRepository } from './contracts/device-repository.js'
import type { DisplayLinkRepository } from './contracts/display-link-repository.js'
import type { HistoryImportRepository } from './contracts/history-import-repository.js'
import type { KpiCountRepository } from './contracts/kpi-count-repository.js'
import type { Open311Repository } from './contracts/open311-repository.js'
import type { RollupRepository } from './contracts/rollup-repository.js'
import type { WriterStats } from './sqlite/writer/store-writer.js'
import type { ReadPoolStats } from './sqlite/read-pool/read-pool.js'

// One narrow contract per aggregate (server/store/contracts/, docs/ARCHITECTURE.md "Repositories"), each with its
// contract suite in test/contracts/. Consumers take the narrow one they use; this file composes them for `createApp`.
export type * from './contracts/alarm-repository.js'
export type * from './contracts/campaign-repository.js'
export type * from './contracts/case-audit-repository.js'
export type * from './contracts/case-repository.js'
export type * from './contracts/device-repository.js'
export type * from './contracts/display-link-repository.js'
export type * from './contracts/history-import-repository.js'
export type * from './contracts/kpi-count-repository.js'
export type * from './contracts/open311-repository.js'
export type * from './contracts/rollup-repository.js'

/** The device registry's part of the store: what `npm run user -- device` opens, and nothing else. */
export type DeviceStore = DeviceRepository

/** Users, sessions, API keys and the access audit (issue #14, server/auth/). */
export interface AuthRepository { readonly auth: AuthStore }

/** Opening and closing the store as a whole. */
export interface StoreLifecycle {
  /** The read pool's queue and workers (null: reads run on the calling thread), for /health and tests. */
  readPoolStats?: () => ReadPoolStats | null
  /** The writer's queue and where it runs (thread or inline), for /health and tests. */
  writerStats?: () => WriterStats
  close: () => Promise<void>
}

/**
 * The whole incident store: every aggregate's repository over one database (SQLite is the embedded default; a
 * PostgreSQL implementation satisfies the same contracts). Async so that a networked store fits.
 */
export type IncidentRepository = CaseRepository & CaseAuditRepository & AlarmRepository & RollupRepository & KpiCountRepository
  & DisplayLinkRepository & CampaignRepository & Open311Repository & DeviceRepository & HistoryImportRepository & AuthRepository & StoreLifecycle
