import type { AddressInfo } from 'node:net'
import { hostname } from 'node:os'
import { OPEN_STATUSES } from '../shared/workflow/states.js'
import { subscribeLiveAggregates } from './live-counts/live-aggregates.js'
import type { AppConfig } from './config.js'
import { createEventBus } from './events/bus.js'
import { drainOnClose } from './http/drain-on-close.js'
import { loadCityGeo } from './geo/city-geo.js'
import { createLogger } from './log.js'
import { DEFAULT_PUBLISHER_OPTIONS } from './realtime/delta-publisher.js'
import { socketControl } from './wiring/socket-control.js'
import { createSocketServer } from './realtime/socket-server.js'
import { subscribeDepartments } from './sources/simulator/departments.js'
import { buildDomain } from './wiring/domain.js'
import { createHttpServer, mountRoutes } from './wiring/http.js'
import { createInputs } from './wiring/inputs.js'
import { connectRealtime } from './wiring/realtime.js'
import { openStores } from './wiring/stores.js'
import type { AppDeps, CityBrainApp } from './wiring/types.js'

/** How long a shutdown lets requests in hand finish before it cuts their connections (an ingest commit takes < 1 s). */
const SHUTDOWN_GRACE_MS = 10_000

export type { AppDeps, CityBrainApp } from './wiring/types.js'

/**
 * Builds the whole server without listening: no side effects at import, so tests start it on port 0. It only
 * constructs (server/wiring/: stores, domain services, realtime, routes, inputs) and connects: producers publish to
 * the event bus, consumers subscribe in the order below (docs/ARCHITECTURE.md "Domain event bus").
 */
export async function createApp(config: AppConfig, deps: Partial<AppDeps> = {}): Promise<CityBrainApp> {
  const log = deps.log ?? createLogger(config.logLevel)
  const geo = deps.geo ?? loadCityGeo(config.city)
  const stores = await openStores(config, geo, log, deps)
  const { repo, now, clock, aggregates } = stores
  const bus = createEventBus({ log, now, origin: `${hostname()}/${process.pid}` })

  const { app, httpServer } = createHttpServer(config)
  const io = createSocketServer(httpServer, config.security.allowedOrigins)
  const drain = drainOnClose(httpServer, deps.shutdownGraceMs ?? SHUTDOWN_GRACE_MS)
  const domain = await buildDomain(config, geo, stores, bus, socketControl(io), log, deps)
  const { cases, alarms, sources, departments, greenway, ingestService, auth, displayLinks, campaigns } = domain

  // consumers, in the order each event reaches them: in-memory state first, then the pushes that read it
  subscribeLiveAggregates(bus, aggregates)
  if (departments) subscribeDepartments(bus, departments)
  const realtime = connectRealtime(io, bus, stores, domain, { ...DEFAULT_PUBLISHER_OPTIONS, ...deps.publisher }, log)
  const { loopMonitor } = mountRoutes(app, { config, geo, stores, domain, realtime, io, log }, deps)
  const { mqtt, simulator } = createInputs(config, geo, stores, domain, log, deps)

  return {
    config, geo, repo, io, httpServer, http: app, aggregates, ingest: ingestService.ingest, ingestJson: ingestService.ingestJson, simulator, events: bus, cases, alarms, displayLinks, auth, greenway, clock, campaigns, sources, mqtt,
    async listen(port = config.port, host = config.host) {
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject)
        httpServer.listen(port, host, () => resolve())
      })
      ingestService.start()
      realtime.start()
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
      realtime.sessionSweep.start()
      if (mqtt) await sources.followDevices(() => mqtt.devices.list())
      const bound = (httpServer.address() as AddressInfo).port
      log.info('listening', { url: `http://localhost:${bound}`, city: geo.info.id, simulator: config.simulator.enabled })
      return bound
    },
    async close() {
      await mqtt?.close() // the broker and its clients; messages in hand are committed first
      realtime.sessionSweep.stop()
      await simulator?.stop()
      await sources.stop()
      await departments?.stop()
      await alarms.stop()
      await greenway.stop()
      realtime.stop()
      loopMonitor.stop()
      // also closes the HTTP server: kept-alive connections are told to close after the request in hand
      const cancelCut = drain.begin()
      await new Promise<void>(resolve => io.close(() => resolve()))
      cancelCut()
      await ingestService.close()
      await stores.drill.close() // after the last write: the snapshot is tagged with the store's version
      stores.kpis.close() // a start-up read still running is dropped: closing the store ends it

      await repo.close()
      greenway.close()
    },
  }
}
