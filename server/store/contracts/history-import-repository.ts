import type { CaseEvent, Incident } from '../../../shared/incident.js'

/** A case of the past with its final state and audit trail, written by the bulk history import (`npm run seed`). */
export interface HistoryRecord { incident: Incident, events: Omit<CaseEvent, 'seq'>[] }
/** Progress of a history import, written in the same transaction as its rows (so a crash resumes cleanly). */
export interface HistoryCheckpoint { key: string, params: string, doneMs: number, rows: number }

/** The history seed's bulk path: past cases written as they ended, with their trails and rollups. */
export interface HistoryImportRepository {
  /** Writes finished cases (with their trails and rollups) and the checkpoint in one transaction. */
  importHistory: (records: HistoryRecord[], checkpoint: HistoryCheckpoint) => Promise<number>
  historyCheckpoint: (key: string) => Promise<HistoryCheckpoint | null>
  /**
   * An empty database about to receive a large history: the store may put off index and rollup upkeep until
   * `finishBulkImport` (which an interrupted load's resumption calls too). Throws if the database holds incidents.
   */
  beginBulkImport: () => Promise<void>
  /** Builds whatever a bulk import put off (nothing if none); `onBuilt` hears of each build. */
  finishBulkImport: (onBuilt?: (name: string, ms: number, left: number) => void) => Promise<void>
  /** Any incident at all? (The seed refuses to mix history into a database that has other data.) */
  isEmpty: () => Promise<boolean>
}
