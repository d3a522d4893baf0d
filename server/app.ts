import { createServer, type Server as HttpServer } from 'node:http'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { parseScope } from '../shared/scope.js'
import { OPEN_STATUSES } from '../shared/workflow/states.js'
import { LiveAggregates } from './live-counts/live-aggregates.js'
import { type AlarmService, createAlarmService } from './alarms/alarm-service.js'
import { createAnalysis, ANALYSIS_SNAPSHOT } from './analysis/index.js'
import { maintainedKpis } from './kpis/maintained-kpis.js'
import { loadConfiguredCalendar, type WorkingCalendar } from './calendar/index.js'
import { type AppClock, clockFor } from './clock.js'
import { type CampaignService, createCampaignService } from './campaigns/campaign-service.js'
import { campaignsRouter } from './campaigns/campaigns-router.js'
import { ensureDemoCampaign } from './campaigns/demo.js'
import { loadRecordedCampaigns } from './campaigns/recorded.js'
import type { AppConfig } from './config.js'
import { type CityGeo, loadCityGeo } from './geo/city-geo.js'
import { authorize } from './access/authorize.js'
import { createDisplayLinkService, type DisplayLinkService } from './access/display-links.js'
import { normalisePaths } from './access/normalise-path.js'
import type { ScopeResolvers } from './access/request-scope.js'
import { authorizeSockets } from './access/socket-authorize.js'
import { authenticate, authenticateSockets, displayRoom, principal, sessionRoom, sweepSockets } from './auth/authenticate.js'
import { type Auth, createAuth, ensureFirstAdmin } from './auth/index.js'
import { SIMULATOR } from './auth/ingest-guard.js'
import { auditActs } from './auth/audit-acts.js'
import { createGreenway, type GreenwayFeature } from './greenway/index.js'
import { alarmsRouter } from './http/alarms-router.js'
import { basemapRouter } from './http/basemap-router.js'
import { displayLinksRouter } from './http/display-links-router.js'
import { analysisRouter } from './http/analysis-router.js'
import { authRouter } from './http/auth-router.js'
import { calendarRouter } from './http/calendar-router.js'
import { casesRouter } from './http/cases-router.js'
import { adminOpLimit } from './http/admin-limit.js'
import { errorHandler, notFound, notFoundApi } from './http/errors.js'
import { eventsRouter } from './http/events-router.js'
import { geoRouter } from './http/geo-router.js'
import { incidentsRouter } from './http/incidents-router.js'
import { methodNotAllowed } from './http/method-not-allowed.js'
import { open311Router } from './http/open311-router.js'
import { requireJsonOrHeader } from './http/require-json.js'
import { securityHeaders } from './http/security-headers.js'
import { serveClient } from './http/static-client.js'
import { createIngestService, type IngestFn, type IngestJsonFn } from './ingest/ingest-service.js'
import { createLogger, type Logger } from './log.js'
import { EventLoopMonitor } from './load/event-loop-monitor.js'
import { analyticsShedding, DEFAULT_SHEDDING, isAnalytics, type SheddingOptions } from './load/analytics-shedding.js'
import { type AdmissionOptions, DEFAULT_ADMISSION, ingestAdmission } from './load/ingest-admission.js'
import { DEFAULT_PUBLISHER_OPTIONS, DeltaPublisher, type PublisherOptions } from './realtime/delta-publisher.js'
import { ScopeFeed } from './realtime/scope-feed.js'
import { createSocketServer, registerSubscriptionHandlers } from './realtime/socket-server.js'
import type { IoServer } from './realtime/types.js'
import { createDepartmentSimulator } from './sources/simulator/departments.js'
import { createSources, type SourcesFeature } from './sources/index.js'
import { createMqttSource, type MqttCallbacks, type MqttSource } from './sources/mqtt/index.js'
import { createSimulator, type Simulator } from './sources/simulator/index.js'
import type { IncidentRepository } from './store/repository.js'
import { createSqliteRepository } from './store/sqlite/sqlite-repository.js'
import { type CaseService, createCaseService } from './workflow/case-service.js'
import { DuplicateDetector } from './workflow/duplicate-detector.js'

export interface AppDeps {
  repo: IncidentRepository
  geo: CityGeo
  log: Logger
  /** A bare "now" (rate 1); tests that need a faster-than-life clock pass `clock`. */
  now: () => number
  /** The app's one clock; default: simulated time at SIM_SPEED with the simulator on, else the real clock. */
  clock: AppClock
  publisher: Partial<PublisherOptions>
  /** When POST /api/v1/events answers 429 (issue #13). */
  admission: Partial<AdmissionOptions>
  /** When analytics answer 503 (issue #13). */
  shedding: Partial<SheddingOptions>
  /** The event-loop monitor admission and shedding read (tests inject a reading). */
  loopMonitor: EventLoopMonitor
  /** Campaign progress is recounted at most this often (tests: 0). */
  campaignRecountMs: number
  /** How often devices are checked for silence (default 5 s). */
  sourceSweepMs: number
  /** Told of every MQTT message accepted or dropped and every device status (GET /api/v1/sources counts them). */
  mqtt: MqttCallbacks
}

export interface CityBrainApp {
  readonly config: AppConfig
  readonly geo: CityGeo
  readonly repo: IncidentRepository
  readonly io: IoServer
  readonly httpServer: HttpServer
  /** The Express app (tests read its route stack to check every route has an access rule). */
  readonly http: express.Express
  readonly aggregates: LiveAggregates
  /** The single ingest path (HTTP, simulator, later MQTT): resolves after the commit that holds the events. */
  readonly ingest: IngestFn
  /** The same path for a raw JSON envelope `{ "events": [...] }` (parsed on a worker thread too: HTTP, MQTT payloads). */
  readonly ingestJson: IngestJsonFn
  readonly simulator: Simulator | null
  /** The single way a case moves through the workflow. */
  readonly cases: CaseService
  readonly alarms: AlarmService
  readonly displayLinks: DisplayLinkService
  /** Users, sessions, API keys and the access audit (issue #14). */
  readonly auth: Auth
  /** Greenways, service-circle coverage and footfall (issue #6). */
  readonly greenway: GreenwayFeature
  /** The clock every deadline, flag, alarm and KPI window reads. */
  readonly clock: AppClock
  /** Campaigns (专项行动, issue #11). */
  readonly campaigns: CampaignService
  /** Every source with its counters (issue #15); MQTT and API keys report through `sources.devices` / `.apiKeys`. */
  readonly sources: SourcesFeature
  /** MQTT devices (issue #15): the registry and the embedded broker or external subscription; null when MQTT is off. */
  readonly mqtt: MqttSource | null
  /** Starts listening (port 0 picks a free one) and the simulator if enabled; resolves to the bound port. */
  listen: (port?: number, host?: string) => Promise<number>
  close: () => Promise<void>
}

const AGGREGATE_WINDOW_MS = 48 * 3_600_000
/** How often sockets re-check their sessions (catches revocations made by the CLI and expiries). */
const SESSION_SWEEP_MS = 30_000

/** Builds the whole server without listening: no side effects at import, so tests start it on port 0. */
export async function createApp(config: AppConfig, deps: Partial<AppDeps> = {}): Promise<CityBrainApp> {
  const log = deps.log ?? createLogger(config.logLevel)
  const geo = deps.geo ?? loadCityGeo(config.city)
  // the working calendar (issue #11): schedule files in CALENDAR_DIR beat chinese-days beat the statutory holidays
  // (the app's clock needs the store, which opens after: so the first load logs its warnings against the wall clock)
  const loadCalendar = (atMs: number): WorkingCalendar => {
    const calendar = loadConfiguredCalendar(config, (msg, data) => log.warn(msg, data))
    calendar.warnings(atMs, geo.info.utcOffsetMinutes) // logs the statutory-only years now, not at the first deadline
    return calendar
  }
  let calendar = loadCalendar(deps.now?.() ?? Date.now()) // before the store opens: an invalid file stops the start with nothing to clean up
  // a history seed that was interrupted still owes its indexes and rollups: they are built here, before any read
  const repo = deps.repo ?? createSqliteRepository({
    dataDir: config.dataDir,
    onDeferredBuild: (name, ms, left) => log.warn('built what an interrupted seed left owing', { name, ms: Math.round(ms), left }),
    ...config.reads.workers !== null && { readWorkers: config.reads.workers },
    readQueue: config.reads.maxQueue,
    onReadWorkerExit: info => log.error('a read worker stopped; replaced', info),
  })
  const clock = deps.clock ?? (deps.now ? { now: deps.now, rate: 1 } : await clockFor(config.simulator, repo))
  const now = clock.now

  const aggregates = new LiveAggregates(geo.info.utcOffsetMinutes, now)
  aggregates.seed(await repo.reportedSince(now() - AGGREGATE_WINDOW_MS), await repo.openCounts(OPEN_STATUSES))
  const feed = new ScopeFeed(repo, aggregates)
  // KPI counts kept current by every stored change (issue #13), rebuilt from the store on the read pool meanwhile
  const kpis = maintainedKpis({ repo, utcOffsetMinutes: geo.info.utcOffsetMinutes, now, onError: err => log.error('maintained KPI counts failed to build; the store answers', { error: String(err) }) })
  // drill-down (issue #4): the rollup cube, loaded from the store and kept current by its rollup listener
  // (a snapshot in DATA_DIR from the last clean shutdown when nothing was written since; else read from the store)
  const drill = await createAnalysis({ geo, repo, now, kpis, snapshotFile: deps.repo || config.dataDir === ':memory:' ? null : path.join(config.dataDir, ANALYSIS_SNAPSHOT) })
  void drill.warm.then(() => log.info('drill-down rollups in memory', {
    from: drill.stats.snapshot ? 'snapshot' : 'store', days: drill.stats.days, rows: drill.stats.rows, ms: Math.round(drill.stats.ms), mb: Math.round(drill.cube.bytes / 1e6),
  }))
  feed.appliedSeq = await repo.currentSeq()

  const app = express()
  app.disable('x-powered-by')
  // before anything looks at a path: one canonical form for routing and access checks alike (issue #14)
  app.use(normalisePaths)
  // hardening (issue #14, docs/SECURITY.md): headers on every answer
  app.use(securityHeaders({ basemapStyleUrl: config.basemapStyleUrl }))
  const httpServer = createServer(app)
  // Idle keep-alive connections outlive any client's own idle timeout (undici ~4 s, proxies ~60 s), so the server is
  // never the side that closes a connection a client is about to reuse (that race surfaces as ECONNRESET).
  httpServer.keepAliveTimeout = 65_000
  httpServer.headersTimeout = 66_000
  const publisherOptions = { ...DEFAULT_PUBLISHER_OPTIONS, ...deps.publisher }
  const io = createSocketServer(httpServer, config.security.allowedOrigins)
  const publisher = new DeltaPublisher(io, feed, aggregates, log, publisherOptions)
  const cases = createCaseService({
    repo,
    utcOffsetMinutes: geo.info.utcOffsetMinutes,
    now,
    onChanged: (incident, from, actor) => {
      if (incident.status !== from) aggregates.statusChanged(incident, from)
      publisher.onStored([incident])
      // a person's action reaches the other consoles at once; machine steps ride the regular batches
      if (!actor.includes(':')) publisher.flushSoon()
      departments?.observe(incident)
    },
  })
  const alarms = createAlarmService({ repo, io, now, log, burst: config.rules.burst })
  const sources = createSources({ now, geo, alarms, log, open311Keys: config.open311.apiKeys, simulator: config.simulator.enabled, ...deps.sourceSweepMs !== undefined && { sweepMs: deps.sourceSweepMs } })
  const duplicates = new DuplicateDetector(config.rules.duplicate)
  const unitExists = (level: 'district' | 'street', code: string) => geo.units.get(code)?.level === level
  const districtOfStreet = (street: string) => geo.units.get(street)?.parent ?? undefined
  const scopeExists = (scope: string) => {
    const p = parseScope(scope)
    return p !== null && (p.level === 'city' || unitExists(p.level, p.code!))
  }
  const displayLinks = createDisplayLinkService(repo, now, id => io.in(displayRoom(id)).disconnectSockets(true))
  // users and sessions (issue #14): revoking a session disconnects its sockets; the first start creates an admin
  // sessions, login throttling, key rate limits and the access audit run on real time, never the simulated city's
  // clock: at SIM_SPEED 720 an 8-hour idle limit would sign everyone out every 40 s (tests pass a bare `now`)
  const auth = createAuth({ store: repo.auth, config: config.auth, now: deps.now ?? Date.now, scopeExists, onSessionsRevoked: ids => ids.forEach(id => io.in(sessionRoom(id)).disconnectSockets(true)) })
  await ensureFirstAdmin(auth, log)
  authenticateSockets(io, { sessions: auth.sessions, displayLinks })
  // what a principal may do and see, from the one table in shared/access.ts (issue #14)
  const access: ScopeResolvers = {
    districtOfStreet,
    unit: code => geo.units.get(code),
    cellCommunity: h3 => geo.cell(h3)?.community,
    incidentPlace: async id => await repo.getIncident(id),
    alarmPlace: async id => await repo.getAlarm(id),
    campaignScope: async id => (await campaigns.list()).find(c => c.campaign.id === id)?.campaign.scope ?? null,
  }
  authorizeSockets(io, access, err => log.error('socket access check failed', { error: String(err) }))
  // With the simulator on, it also plays the centre, departments and verifiers, through the case service.
  const departments = config.simulator.enabled
    ? createDepartmentSimulator({ cases, seed: config.simulator.seed, now, log: msg => log.warn(msg) })
    : null
  registerSubscriptionHandlers(io, {
    cases,
    alarms,
    feed,
    publisher,
    unitExists,
    districtOfStreet,
    maxCatchUp: publisherOptions.maxCatchUp,
  }, log)

  const greenway = createGreenway({ io, geo, config, now, log })
  // campaigns (issue #11): live ones in the store, recorded historic ones from data; a demo drive with the simulator
  const campaigns = createCampaignService({ repo, recorded: loadRecordedCampaigns(geo.info.id), utcOffsetMinutes: geo.info.utcOffsetMinutes, now, nameOf: code => geo.units.get(code)?.name ?? code, ...deps.campaignRecountMs !== undefined && { minRecountMs: deps.campaignRecountMs } })
  if (config.simulator.enabled) await ensureDemoCampaign(campaigns, geo, now())

  // ingest (issue #13): parsed, validated and located on worker threads; stored by group commit, each duplicate
  // proposal in the same commit as its report; answered after commit
  const ingestService = createIngestService({
    repo,
    locator: geo,
    city: config.city,
    cityName: geo.info.name,
    // an injected geography may not be the one the workers would load: then prepared on this thread
    workers: deps.geo ? 0 : config.ingestWorkers,
    now: () => new Date(now()),
    reportedAtWindow: config.security.reportedAtWindow,
    within: {
      step: (i) => {
        const primary = duplicates.observe(i)
        return primary ? cases.duplicateProposal(i, primary) : null
      },
      alarms: stored => alarms.candidatesFor(stored),
    },
    rolledBack: rows => duplicates.forget(new Set(rows.map(r => r.input.id))),
    onStored: (stored, raised) => {
      aggregates.addMany(stored)
      if (departments) for (const i of stored) departments.observe(i)
      publisher.onStored(stored)
      alarms.announce(raised)
    },
    onFanOutError: err => log.error('after-commit fan-out failed', { error: String(err), stack: (err as Error).stack }),
  })
  const { ingest } = ingestService

  // overload is explicit (issue #13): ingest beyond what the loop can take is refused with 429 + Retry-After
  const loopMonitor = deps.loopMonitor ?? new EventLoopMonitor()
  const admission = ingestAdmission(loopMonitor, { ...DEFAULT_ADMISSION, ...config.ingestAdmission, ...deps.admission })
  // who sent each request (res.locals.principal); what they may do is decided per route, not here
  app.use(['/api', '/open311'], authenticate({ sessions: auth.sessions, keys: auth.keys, displayLinks }))
  // what each may do and see: the one table in shared/access.ts, checked on the normalised path (issue #14)
  app.use(authorize(access))
  // state changes only as JSON or with a header (no cross-site form can make one); reloads spaced — both after the
  // access check, so a caller who may not make the request at all hears 401/403 first
  app.use('/api', requireJsonOrHeader)
  app.post('/api/v1/greenway/reload', adminOpLimit(config.security.adminOpsPerMinute))
  app.post('/api/v1/calendar/reload', adminOpLimit(config.security.adminOpsPerMinute))
  // … and by priority: analytics answer 503 + Retry-After well before ingest or operators are refused anything
  const shedding = analyticsShedding({
    loopDelayMs: () => loopMonitor.recentDelayMs(),
    ingestBacklog: () => {
      const q = ingestService.stats()
      return q.eventsAwaitingCommit + q.eventsInCommit
    },
  }, { ...DEFAULT_SHEDDING, ...config.analyticsShedding, ...deps.shedding })
  app.get('/api/v1/health', (_req, res) => {
    // anonymous callers (load balancers, probes) learn that it is up, not its internals
    if (principal(res).kind === 'anonymous') return void res.json({ status: 'ok' })
    res.json({
      status: 'ok',
      calendar: { warnings: calendar.warnings(now(), geo.info.utcOffsetMinutes) },
      eventLoopDelayMs: loopMonitor.delay(),
      queues: { ingest: { ...admission.stats(), ...ingestService.stats() }, analytics: shedding.stats(), publisher: publisher.stats(), sockets: io.sockets.sockets.size, reads: repo.readPoolStats?.() ?? null },
      kpis: kpis.stats(),
    })
  })
  const basemap = basemapRouter(config.basemapPmtiles, log)
  app.get('/api/v1/client-config', (_req, res) => { res.json({ basemapStyleUrl: config.basemapStyleUrl, basemapPmtilesUrl: basemap.url, clock: { now: now(), rate: clock.rate } }) })
  app.use('/api/v1', basemap.router)
  app.use('/api/v1', auditActs(auth.audit))
  app.use('/api/v1', (req, res, next) => { if (isAnalytics(req.method, req.path)) shedding.guard(req, res, next); else next() })
  app.use('/api/v1/events', sources.httpRefusals)
  app.use('/api/v1', authRouter(auth), displayLinksRouter(displayLinks, scopeExists, auth.audit), sources.router, eventsRouter(sources.httpJson(ingestService.ingestJson), admission.admit, { keys: auth.keys, audit: auth.audit }), casesRouter({ repo, kpis, now, utcOffsetMinutes: geo.info.utcOffsetMinutes, unitExists }), incidentsRouter(repo, cases),
    alarmsRouter(alarms, unitExists), geoRouter(geo), greenway.router,
    analysisRouter({ service: drill.service, cityCode: geo.info.code, utcOffsetMinutes: geo.info.utcOffsetMinutes, now }),
    calendarRouter({ calendar: () => calendar, utcOffsetMinutes: geo.info.utcOffsetMinutes, now, reload: () => (calendar = loadCalendar(now())) }),
    campaignsRouter({ campaigns, scopeExists, districtOfStreet }))
  app.use('/api', methodNotAllowed(app), notFoundApi)
  // Open311 GeoReport v2 (issue #15): the same ingest path as POST /api/v1/events
  app.use('/open311', open311Router({ ingest, repo, city: geo.info, units: geo.units, apiKeys: config.open311.apiKeys, keys: auth.keys, audit: auth.audit, now, startedAt: new Date(now()).toISOString(), meter: sources.open311, keyMeter: sources.apiKeys }))
  if (config.staticDir && !serveClient(app, config.staticDir)) log.warn('client not built; serving the API only', { staticDir: config.staticDir })
  app.use(methodNotAllowed(app), notFound) // Open311's paths, `//api/…` and anything else nothing answered
  app.use(errorHandler(log))

  // MQTT devices (issue #15): events and readings past a threshold through the same `ingest`; counters' readings
  // through the footfall service, as POST /api/v1/footfall
  const mqtt = config.mqtt.enabled
    ? createMqttSource({ ...sources.mqttCallbacks(deps.mqtt), config: config.mqtt, cityCode: geo.info.code, repo, ingest, footfall: greenway.footfall.ingest, locate: (lon, lat) => geo.locate(lon, lat), now, log })
    : null

  const simulator = config.simulator.enabled
    ? createSimulator({ geo, ingest: sources.simulator(events => ingest(events, SIMULATOR)), seed: config.simulator.seed, speed: config.simulator.speed, rate: config.simulator.rate, now, log: msg => log.info(msg) })
    : null

  let sessionSweep: NodeJS.Timeout | undefined
  return {
    config, geo, repo, io, httpServer, http: app, aggregates, ingest, ingestJson: ingestService.ingestJson, simulator, cases, alarms, displayLinks, auth, greenway, clock, campaigns, sources, mqtt,
    async listen(port = config.port, host = config.host) {
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject)
        httpServer.listen(port, host, () => resolve())
      })
      ingestService.start()
      publisher.start()
      loopMonitor.start()
      alarms.start()
      if (departments) {
        for (const i of await repo.openCases(OPEN_STATUSES, 50_000)) departments.observe(i)
        departments.start()
      }
      simulator?.start()
      if (simulator) sources.registry.status('simulator', true)
      sources.start()
      greenway.start()
      await mqtt?.listen() // a taken MQTT port is one log line, not a failed start
      sessionSweep = setInterval(() => { void sweepSockets(io, auth.sessions).catch((err: unknown) => log.error('session sweep failed', { error: String(err) })) }, SESSION_SWEEP_MS)
      sessionSweep.unref()
      if (mqtt) await sources.followDevices(() => mqtt.devices.list())
      const bound = (httpServer.address() as AddressInfo).port
      log.info('listening', { url: `http://localhost:${bound}`, city: geo.info.id, simulator: config.simulator.enabled })
      return bound
    },
    async close() {
      await mqtt?.close() // the broker and its clients; messages in hand are committed first
      clearInterval(sessionSweep)
      await simulator?.stop()
      await sources.stop()
      await departments?.stop()
      await alarms.stop()
      await greenway.stop()
      publisher.stop()
      loopMonitor.stop()
      await new Promise<void>(resolve => io.close(() => resolve())) // also closes the HTTP server
      await ingestService.close()
      await drill.close() // after the last write: the snapshot is tagged with the store's version
      kpis.close() // a start-up read still running is dropped: closing the store ends it

      await repo.close()
      greenway.close()
    },
  }
}
