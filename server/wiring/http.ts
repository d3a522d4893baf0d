import { createServer, type Server as HttpServer } from 'node:http'
import express from 'express'
import { authorize } from '../http/authorize.js'
import { normalisePaths } from '../http/normalise-path.js'
import { principal } from '../auth/authenticate.js'
import { authenticate } from '../http/authenticate.js'
import { auditActs } from '../auth/audit-acts.js'
import { campaignsRouter } from '../http/campaigns-router.js'
import type { AppConfig } from '../config.js'
import type { CityGeo } from '../geo/city-geo.js'
import { adminOpLimit } from '../http/admin-limit.js'
import { alarmsRouter } from '../http/alarms-router.js'
import { analysisRouter } from '../http/analysis-router.js'
import { authRouter } from '../http/auth-router.js'
import { basemapRouter } from '../http/basemap-router.js'
import { calendarRouter } from '../http/calendar-router.js'
import { casesRouter } from '../http/cases-router.js'
import { displayLinksRouter } from '../http/display-links-router.js'
import { errorHandler, notFound, notFoundApi } from '../http/errors.js'
import { eventsRouter } from '../http/events-router.js'
import { geoRouter } from '../http/geo-router.js'
import { greenwayRouter } from '../http/greenway-router.js'
import { incidentsRouter } from '../http/incidents-router.js'
import { methodNotAllowed } from '../http/method-not-allowed.js'
import { open311Router } from '../http/open311-router.js'
import { requireJsonOrHeader } from '../http/require-json.js'
import { securityHeaders } from '../http/security-headers.js'
import { sourcesRouter } from '../http/sources-router.js'
import { serveClient } from '../http/static-client.js'
import { SharedAnswers } from '../load/shared-answers.js'
import { shareAnswers } from '../http/share-answers.js'
import { analyticsShedding, DEFAULT_SHEDDING, isAnalytics } from '../load/analytics-shedding.js'
import { EventLoopMonitor } from '../load/event-loop-monitor.js'
import { DEFAULT_ADMISSION, ingestAdmission } from '../load/ingest-admission.js'
import type { Logger } from '../log.js'
import type { IoServer } from '../realtime/types.js'
import type { Domain } from './domain.js'
import type { Realtime } from './realtime.js'
import type { Stores } from './stores.js'
import type { AppDeps } from './types.js'

/** The Express app and its HTTP server, with what must run before anything looks at a path. */
export function createHttpServer(config: AppConfig): { app: express.Express, httpServer: HttpServer } {
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
  return { app, httpServer }
}

export interface HttpParts { config: AppConfig, geo: CityGeo, stores: Stores, domain: Domain, realtime: Realtime, io: IoServer, log: Logger }

/**
 * Every route, after who sent the request, what they may do, and overload (issue #13): ingest beyond what the loop
 * can take is refused with 429; analytics answer 503 well before ingest or operators are refused anything.
 */
export function mountRoutes(app: express.Express, p: HttpParts, deps: Partial<AppDeps>) {
  const { config, geo, stores: { repo, kpis, drill, now, clock, calendar }, domain: d, log } = p
  const { auth, ingestService, sources, places } = d
  const utcOffsetMinutes = geo.info.utcOffsetMinutes
  const loopMonitor = deps.loopMonitor ?? new EventLoopMonitor()
  const admission = ingestAdmission(loopMonitor, { ...DEFAULT_ADMISSION, ...config.ingestAdmission, ...deps.admission })
  // who sent each request (res.locals.principal); what they may do is decided per route, not here
  app.use(['/api', '/open311'], authenticate({ sessions: auth.sessions, keys: auth.keys, displayLinks: d.displayLinks }))
  // what each may do and see: the one table in shared/access.ts, checked on the normalised path (issue #14)
  app.use(authorize(d.access))
  // state changes only as JSON or with a header (no cross-site form can make one); reloads spaced — both after the
  // access check, so a caller who may not make the request at all hears 401/403 first
  app.use('/api', requireJsonOrHeader)
  app.post('/api/v1/greenway/reload', adminOpLimit(config.security.adminOpsPerMinute))
  app.post('/api/v1/calendar/reload', adminOpLimit(config.security.adminOpsPerMinute))
  const shedding = analyticsShedding({
    loopDelayMs: () => loopMonitor.recentDelayMs(),
    ingestBacklog: () => {
      const q = ingestService.stats()
      return q.eventsAwaitingCommit + q.eventsInCommit
    },
  }, { ...DEFAULT_SHEDDING, ...config.analyticsShedding, ...deps.shedding })
  const shared = new SharedAnswers(config.analyticsShareMs)
  app.get('/api/v1/health', (_req, res) => {
    // anonymous callers (load balancers, probes) learn that it is up, not its internals
    if (principal(res).kind === 'anonymous') return void res.json({ status: 'ok' })
    res.json({
      status: 'ok',
      calendar: { warnings: calendar.current().warnings(now(), utcOffsetMinutes) },
      eventLoopDelayMs: loopMonitor.delay(),
      queues: { ingest: { ...admission.stats(), ...ingestService.stats() }, analytics: { ...shedding.stats(), answers: shared.stats() }, publisher: p.realtime.publisher.stats(), sockets: p.io.sockets.sockets.size, reads: repo.readPoolStats?.() ?? null, writer: repo.writerStats?.() ?? null },
      kpis: kpis.stats(),
      analysis: drill.progress(),
    })
  })
  const basemap = basemapRouter(config.basemapPmtiles, log)
  app.get('/api/v1/client-config', (_req, res) => { res.json({ basemapStyleUrl: config.basemapStyleUrl, basemapPmtilesUrl: basemap.url, clock: { now: now(), rate: clock.rate } }) })
  app.use('/api/v1', basemap.router)
  app.use('/api/v1', auditActs(auth.audit))
  app.use(shareAnswers(shared, config.analyticsShareMs))
  app.use('/api/v1', (req, res, next) => { if (isAnalytics(req.method, req.path)) shedding.guard(req, res, next); else next() })
  app.use('/api/v1/events', sources.httpRefusals)
  app.use('/api/v1', authRouter(auth), displayLinksRouter(d.displayLinks, places.scopeExists, auth.audit), sourcesRouter(sources.registry), eventsRouter(sources.httpJson(ingestService.ingestJson), admission.admit, { keys: auth.keys, audit: auth.audit }), casesRouter({ repo, kpis, now, utcOffsetMinutes, unitExists: places.unitExists }), incidentsRouter(repo, d.cases),
    alarmsRouter(d.alarms, places.unitExists), geoRouter(geo), greenwayRouter(d.greenway.greenway, d.greenway.footfall),
    analysisRouter({ service: drill.service, cityCode: geo.info.code, utcOffsetMinutes, now }),
    calendarRouter({ calendar: calendar.current, utcOffsetMinutes, now, reload: calendar.reload }),
    campaignsRouter({ campaigns: d.campaigns, scopeExists: places.scopeExists, districtOfStreet: places.districtOfStreet }))
  app.use('/api', methodNotAllowed(app), notFoundApi)
  // Open311 GeoReport v2 (issue #15): the same ingest path as POST /api/v1/events
  app.use('/open311', open311Router({ ingest: ingestService.ingest, repo, city: geo.info, units: geo.units, apiKeys: config.open311.apiKeys, keys: auth.keys, audit: auth.audit, now, startedAt: new Date(now()).toISOString(), meter: sources.open311, keyMeter: sources.apiKeys }))
  if (config.staticDir && !serveClient(app, config.staticDir)) log.warn('client not built; serving the API only', { staticDir: config.staticDir })
  app.use(methodNotAllowed(app), notFound) // Open311's paths, `//api/…` and anything else nothing answered
  app.use(errorHandler(log))
  return { loopMonitor }
}
