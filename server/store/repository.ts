import type { Alarm } from '../../shared/alarms.js'
import type { AuthStore } from '../auth/types.js'
import type { CampaignFacts, LiveCampaign } from '../../shared/campaigns/types.js'
import type { AnalysisFilters, AnalysisPoints, IncidentSort } from '../../shared/analysis.js'
import type { CaseEvent, Incident, Location, PostponeRequest } from '../../shared/incident.js'
import type { KpiCounts } from '../../shared/kpi/counts.js'
import type { IncidentInput } from '../../shared/schemas/incident.js'
import type { ParsedScope } from '../../shared/scope.js'
import type { CaseStatus } from '../../shared/workflow/states.js'
import type { ReadPoolStats } from './sqlite/read-pool/read-pool.js'

export interface NewIncident { input: IncidentInput, location: Location }

export interface InsertOutcome {
  /** Rows written, with their sequence numbers, in input order. */
  stored: Incident[]
  /** Ids that already existed (or came twice in the batch): stored once, never overwritten. */
  duplicates: Set<string>
  /** Positions (in `rows`) of duplicates whose content differs from what is stored under that id (issue #14). */
  conflicts: Set<number>
  /** Alarms `within.alarms` raised in the same commit (keys not raised before). */
  alarms?: Alarm[]
}

/**
 * What ingest writes in the same commit as its reports (issue #13: one disk sync, not one per proposal or alarm batch).
 */
export interface WithinInsert {
  /**
   * For each row just stored: a workflow step to write with it (the duplicate detector's proposal), or null. It must
   * not move the case's rollup key (status, department, on time).
   */
  step?: (stored: Incident) => CaseChange | null
  /** After the rows: the alarms they raise (stored once per key, as `raiseAlarms`). */
  alarms?: (stored: readonly Incident[]) => readonly NewAlarm[]
}

/** A workflow step to write: the new state and bookkeeping of a case, guarded by the version its author saw. */
export interface CaseChange {
  id: string
  expectedVersion: number
  to: CaseStatus
  at: string
  actor: string
  action: string
  note?: string
  department?: string
  deadline?: string
  rework?: boolean
  postponed?: boolean
  filedAt?: string
  dispatchedAt?: string
  handledAt?: string
  closedAt?: string
  reminder?: boolean
  escalatedAt?: string
  /** undefined keeps the proposal, null clears it. */
  duplicateOf?: string | null
  mergedInto?: string
  feedback?: 'satisfied' | 'unsatisfied'
  /** return (退回): +1 returns; department, deadline, dispatch time, assisting departments and any request cleared. */
  returned?: boolean
  /** verify-fail: the handled time is cleared, so rework is not counted on time until handled again. */
  clearHandled?: boolean
  selfHandled?: boolean
  evidencePhoto?: string
  /** undefined keeps them; [] clears them. */
  assisting?: string[]
  /** undefined keeps a pending request, null clears it. */
  postponeRequest?: PostponeRequest | null
}

export interface NewAlarm extends Omit<Alarm, 'id' | 'ackedBy' | 'ackedAt' | 'resolvedAt'> {
  /** Raised at most once per key (e.g. "overdue:<id>"), across restarts. */
  key: string
}

export type AlarmAckOutcome = { kind: 'acked', alarm: Alarm } | { kind: 'not-found' } | { kind: 'already', alarm: Alarm }

/** Where KPI counts are taken: the whole city, or one district, street, community or grid cell. */
export interface KpiArea { district?: string, street?: string, community?: string, cell?: string }
/** Columns the KPI counts can be grouped by (at most two: the drill-down's children × departments). */
export type KpiGroup = 'district' | 'street' | 'community' | 'cell' | 'department'
/** The KPI counts of the cases reported in [fromMs, toMs) in an area, optionally filtered and grouped. */
export interface KpiCountsQuery { area: KpiArea, fromMs: number, toMs: number, filters?: AnalysisFilters, groupBy?: readonly KpiGroup[] }
/** One group's counts; `key` holds the group columns' values in `groupBy` order (empty without grouping). */
export interface KpiCountsRow { key: string[], counts: KpiCounts }

/** A page of the case queue as the API sends it: the summaries already serialised (built where the rows are read). */
export interface CasePage { casesJson: string, next: { reportedMs: number, seq: number } | null }

/**
 * What the maintained KPI counts (server/kpis/) are rebuilt from at start, read in one snapshot: the
 * counts of every (report hour, street, department) with the span of report times in it — row k's counts are
 * `values[k * COUNT_FIELDS.length …]` in COUNT_FIELDS order, its hour / street index / department index `keys[3k …]` —,
 * the cases that can still pass their deadline (open, filed, deadline not passed at `nowIso`), and the store's seq.
 */
export interface KpiLedgerSource {
  seq: number
  streets: string[]
  /** The district of each street (same order). */
  districts: string[]
  departments: string[]
  keys: Int32Array
  values: Float64Array
  minMs: Float64Array
  maxMs: Float64Array
  pending: Incident[]
}

/** After commit, once per stored change: the case before (null: a new report) and after. */
export type ChangeListener = (before: Incident | null, after: Incident) => void

/** A read-only wall link for one scope (the token itself is never stored). */
export interface DisplayLink { id: string, scope: string, label: string, createdAt: string, revokedAt?: string }

/** A page of the case queue; `before` is the (reported_ms, seq) of the previous page's last row (issue #13). */
export interface CaseQuery { scope: ParsedScope, openOnly: boolean, limit: number, before?: { reportedMs: number, seq: number } }

export type CaseChangeOutcome =
  | { kind: 'applied', incident: Incident, from: CaseStatus }
  | { kind: 'not-found' }
  | { kind: 'stale', current: Incident }

/** Open-case counts by district and street, to seed live aggregates at start-up. */
export interface OpenCount { district: string, street: string, count: number }

/** The facts a case's drill-down rollup row is keyed by (report hour, cell, category, source, status, department, on time). */
export type RollupFacts = Pick<Incident, 'reportedAt' | 'cell' | 'community' | 'street' | 'district' | 'category' | 'source' | 'status' | 'department' | 'handledAt' | 'deadline'>

/** After commit, once per rollup change: +1 for a new case or the key a case moved to, −1 for the key it left. */
export type RollupListener = (facts: RollupFacts, sign: 1 | -1) => void

/** One rollup row, positionally (loading millions of rows allocates no object per row). */
export type RollupRowVisitor = (hour: number, cell: string, category: string, source: string, status: string, department: string,
  onTime: number, community: string, street: string, district: string, n: number) => void

/** Where a drill-down raw read looks: a district, a list of communities (a street's or one), and optionally one cell. */
export interface AnalysisArea { district?: string, communities?: readonly string[], cell?: string }

export interface AnalysisRawQuery { area: AnalysisArea, fromMs: number, toMs: number, filters: AnalysisFilters }
export interface AnalysisPageQuery extends AnalysisRawQuery { sort: IncidentSort, desc: boolean, offset: number, limit: number }

/** Open cases past their deadline, by cell and department (the part of 应处置数 that changes with the clock). */
export interface OverdueCount { cell: string, department: string, count: number }

/** A case of the past with its final state and audit trail, written by the bulk history import (`npm run seed`). */
export interface HistoryRecord { incident: Incident, events: Omit<CaseEvent, 'seq'>[] }
/** Progress of a history import, written in the same transaction as its rows (so a crash resumes cleanly). */
export interface HistoryCheckpoint { key: string, params: string, doneMs: number, rows: number }

/** A live campaign's counts: its categories in its area, reported in [fromMs, toMs), by unit (`by`) and local day. */
export interface CampaignFactsQuery {
  categories: readonly string[]
  scope: ParsedScope
  fromMs: number
  toMs: number
  /** Resolved = closed before this instant (ISO): the end of the drive, or now while it runs. */
  resolvedBefore: string
  by: 'district' | 'street' | 'community'
  utcOffsetMinutes: number
}
/** What an Open311 client sent beyond the incident schema (issue #15). */
export interface Open311Details { id: string, address?: string, mediaUrl?: string, attributes: Record<string, string | string[]> }
/** GET requests of GeoReport v2: by ids, or by categories, report-time range and statuses; newest report first. */
export interface Open311Query { ids?: readonly string[], categories?: readonly string[], fromMs: number, toMs: number, statuses?: readonly CaseStatus[], limit: number }
/** `updatedAt`: the latest workflow step's time (none yet: the report's receipt). */
export interface Open311Record { incident: Incident, details: Open311Details | null, updatedAt: string }

/** A registered MQTT device (issue #15); its password is stored only as a scrypt hash (server/sources/mqtt/). */
export interface DeviceRecord {
  id: string
  kind: string
  scope: string
  /** Expected reporting interval, seconds. */
  intervalS: number
  /** Where a fixed device sits: reports without coordinates are placed here. */
  lon?: number
  lat?: number
  /** A footfall counter's greenway segment. */
  segment?: string
  disabledAt?: string
  /** Reading excursions already reported: metric → ISO start. */
  excursions: Record<string, string>
  createdAt: string
}

/**
 * Storage behind an interface: SQLite is the embedded default; a PostgreSQL implementation satisfies the same
 * contract (test/integration/repository-contract.ts runs against each). Async so that a networked store fits.
 */
/** The device registry's part of the store (issue #15): what `npm run user -- device` opens, and nothing else. */
export type DeviceStore = Pick<IncidentRepository, 'insertDevice' | 'deviceWithHash' | 'listDevices' | 'disableDevice' | 'setDeviceExcursions'>

export interface IncidentRepository {
  /**
   * Writes new incidents in one transaction; resolves only after commit. Each stored row gets the next seq; a step
   * `within.step` returns for it is written in the same transaction (the row is then returned in its state after
   * it), and so are the alarms of `within.alarms`.
   */
  insertIncidents: (rows: NewIncident[], receivedAt: string, within?: WithinInsert) => Promise<InsertOutcome>
  getIncident: (id: string) => Promise<Incident | null>
  /** Highest sequence number committed so far (0 when empty). */
  currentSeq: () => Promise<number>
  /** Incidents in scope whose latest change has seq > `afterSeq`, oldest change first, at most `limit`. */
  changedSince: (afterSeq: number, scope: ParsedScope, limit: number) => Promise<Incident[]>
  /** Latest incidents in scope by report time, newest first. */
  recent: (scope: ParsedScope, limit: number) => Promise<Incident[]>
  /** Incidents reported at or after `sinceMs`, for rebuilding in-memory aggregates. */
  reportedSince: (sinceMs: number) => Promise<Incident[]>
  openCounts: (openStatuses: readonly CaseStatus[]) => Promise<OpenCount[]>
  /** Applies a workflow step atomically with its audit row and the next seq, only if the version still matches. */
  applyCaseChange: (change: CaseChange) => Promise<CaseChangeOutcome>
  /** Several changes (of different cases) in one commit, each guarded as `applyCaseChange`; outcomes in order. */
  applyCaseChanges: (changes: readonly CaseChange[]) => Promise<CaseChangeOutcome[]>
  /** Cases in an open state, oldest change first (for workers that resume after a restart). */
  openCases: (openStatuses: readonly CaseStatus[], limit: number) => Promise<Incident[]>
  /** The audit trail of a case, oldest first. */
  caseEvents: (id: string) => Promise<CaseEvent[]>
  /** Reports merged into a case. */
  mergedInto: (id: string) => Promise<Incident[]>
  /** Cases for the console's queue, newest report first. */
  listCases: (q: CaseQuery) => Promise<Incident[]>
  /** One page of the queue (at most `limit` cases) serialised as IncidentSummary[], and where the next one starts. */
  casePage: (q: CaseQuery) => Promise<CasePage>
  /**
   * The one source of KPI counts (issue #11): /kpis, the league and the drill-down's indicators all read it, so they
   * agree by construction. Without `groupBy`: exactly one row (zeros for an empty period).
   */
  kpiCounts: (q: KpiCountsQuery, nowIso: string) => Promise<KpiCountsRow[]>
  /** Everything the maintained KPI counts start from (one consistent read). */
  kpiLedgerSource: (nowIso: string) => Promise<KpiLedgerSource>
  /** Every stored change, after commit (the maintained KPI counts); returns the unsubscribe. */
  watchChanges: (listener: ChangeListener) => () => void
  /** The read pool's queue and workers (null: reads run on the calling thread), for /health and tests. */
  readPoolStats?: () => ReadPoolStats | null
  /** Stores alarms in one transaction, skipping keys raised before; returns those stored. */
  raiseAlarms: (alarms: readonly NewAlarm[]) => Promise<Alarm[]>
  ackAlarm: (id: number, actor: string, at: string) => Promise<AlarmAckOutcome>
  /** Unacknowledged alarms in scope, oldest first. */
  openAlarms: (scope: ParsedScope, limit: number) => Promise<Alarm[]>
  /** One alarm, acknowledged or not (access checks read its place). */
  getAlarm: (id: number) => Promise<Alarm | null>
  /** Closes every unresolved alarm of a source (its device was heard again); returns those closed. */
  resolveSourceAlarms: (sourceId: string, at: string) => Promise<Alarm[]>
  /** Cases past their deadline while the department's clock runs, with no overdue alarm yet. */
  overdueWithoutAlarm: (nowIso: string, limit: number) => Promise<Incident[]>
  insertDisplayLink: (link: DisplayLink, tokenHash: string) => Promise<void>
  displayLinkByTokenHash: (tokenHash: string) => Promise<DisplayLink | null>
  listDisplayLinks: () => Promise<DisplayLink[]>
  /** Marks a link revoked (idempotent) and returns it; null if unknown. */
  revokeDisplayLink: (id: string, at: string) => Promise<DisplayLink | null>
  /** Drill-down (issue #4): subscribe to rollup changes; returns the unsubscribe. */
  watchRollup: (listener: RollupListener) => () => void
  /**
   * Visits the stored rollup rows of report hours [fromHour, toHour) (to load the in-memory copy); resolves to the
   * number of rows. The SQLite store reads them synchronously within the call.
   */
  eachRollupRow: (fromHour: number, toHour: number, visit: RollupRowVisitor) => Promise<number>
  /** Brings the rollup table up to date with every committed change now (the store may otherwise batch its upkeep). */
  flushRollup: () => Promise<void>
  /** Changes whenever anything is written (the drill-down's snapshot is valid only for the version it was taken at). */
  rollupVersion: () => Promise<string>
  /** First and last report hour in the rollup, or null when it is empty. */
  rollupHours: () => Promise<[number, number] | null>
  /** A page of the incidents matching a drill-down query. */
  analysisIncidents: (q: AnalysisPageQuery) => Promise<Incident[]>
  /** Incident points matching a drill-down query, oldest first, at most `limit`. */
  analysisPoints: (q: AnalysisRawQuery, limit: number) => Promise<AnalysisPoints>
  overdueOpen: (q: AnalysisRawQuery, nowIso: string) => Promise<OverdueCount[]>
  /** Bulk path of the history seed: writes finished cases (with their trails and rollups) and the checkpoint in one transaction. */
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
  /** Campaigns (专项行动, issue #11): stores a live campaign; false if its id exists. */
  insertCampaign: (campaign: LiveCampaign) => Promise<boolean>
  /** Stored live campaigns, latest start first. */
  listCampaigns: () => Promise<LiveCampaign[]>
  campaignFacts: (q: CampaignFactsQuery) => Promise<CampaignFacts>
  /** Open311 (issue #15): the details of a report stored through the ingest path; and the GET requests reads. */
  saveOpen311Details: (details: Open311Details) => Promise<void>
  open311Requests: (q: Open311Query) => Promise<Open311Record[]>
  /** MQTT devices (issue #15): false if the id exists. */
  insertDevice: (device: DeviceRecord, passwordHash: string) => Promise<boolean>
  deviceWithHash: (id: string) => Promise<{ device: DeviceRecord, passwordHash: string } | null>
  listDevices: () => Promise<DeviceRecord[]>
  /** Marks a device disabled (idempotent) and returns it; null if unknown. */
  disableDevice: (id: string, at: string) => Promise<DeviceRecord | null>
  setDeviceExcursions: (id: string, excursions: Record<string, string>) => Promise<void>
  /** Users, sessions, API keys and the access audit (issue #14, server/auth/). */
  readonly auth: AuthStore
  close: () => Promise<void>
}
