import type { GreenwaySnapshot } from '../../shared/greenway/types.js'
import type { GreenwayConfig } from './greenway-service.js'
import type { CityGeo } from '../geo/city-geo.js'
// eslint-disable-next-line no-restricted-imports -- removed by the event bus (issue #12)
import { greenwayRouter } from '../http/greenway-router.js'
import type { Logger } from '../log.js'
// eslint-disable-next-line no-restricted-imports -- removed by the event bus (issue #12)
import type { IoServer } from '../realtime/types.js'
import { createFootfallService } from './footfall-service.js'
import { createFootfallSimulator, demoSensors } from './footfall-simulator.js'
import { createGreenwayPublisher, type GreenwayPublisherOptions } from './greenway-publisher.js'
import { createGreenwayService } from './greenway-service.js'
import { registerGreenwayHandlers } from './greenway-socket.js'
import { createGreenwayStore } from './greenway-store.js'

export interface GreenwayDeps {
  io: IoServer
  geo: CityGeo
  config: { dataDir: string, city: string, greenway: GreenwayConfig, simulator: { enabled: boolean, seed: number, speed: number } }
  now: () => number
  log: Logger
  publisher?: Partial<GreenwayPublisherOptions>
}

/** The greenway feature (issue #6) wired in one place: store, services, live pushes, socket handlers, HTTP routes. */
export function createGreenway(deps: GreenwayDeps) {
  const { io, geo, config, now, log } = deps
  const store = createGreenwayStore(config.dataDir)
  const notify = { coverage: () => {}, footfall: () => {} }
  const greenway = createGreenwayService({ geo, config: config.greenway, cityId: config.city, store, now, log, onChanged: () => notify.coverage() })
  const place = (id: string) => {
    const s = greenway.segment(id)
    const mid = s?.coords[Math.floor(s.coords.length / 2)]
    return s && mid ? { name: s.name, lon: mid[0]!, lat: mid[1]! } : undefined
  }
  const footfall = createFootfallService({ store, crowding: config.greenway.crowding, now, place, onChanged: () => notify.footfall() })
  const publisher = createGreenwayPublisher(io, greenway, footfall, deps.publisher)
  notify.coverage = publisher.coverageChanged
  notify.footfall = publisher.footfallChanged

  const snapshot = (): GreenwaySnapshot => ({
    version: greenway.version, params: greenway.params, info: greenway.info(), network: greenway.summary(),
    city: greenway.cityRow(), districts: greenway.rows('district'), footfall: footfall.state(),
  })
  registerGreenwayHandlers(io, snapshot, log)

  // the demo counters sit on the network as loaded at start (reading it loads the greenway data)
  const sensors = () => demoSensors(greenway.networkGeoJson().features.map(f => ({ ...(f.properties as { id: string, tier: string, status: string }), coords: (f.geometry as GeoJSON.LineString).coordinates })), geo.info.center)
  const simulator = config.simulator.enabled
    ? createFootfallSimulator({ sensors, ingest: footfall.ingest, seed: config.simulator.seed + 6, speed: config.simulator.speed, utcOffsetMinutes: geo.info.utcOffsetMinutes, now, log: msg => log.warn(msg) })
    : null

  return {
    greenway,
    footfall,
    snapshot,
    router: greenwayRouter(greenway, footfall),
    start(): void {
      publisher.start()
      simulator?.start()
    },
    /** Stops the sources and timers; `close` (after the HTTP server) releases the database. */
    async stop(): Promise<void> {
      await simulator?.stop()
      publisher.stop()
    },
    close: () => store.close(),
  }
}

export type GreenwayFeature = ReturnType<typeof createGreenway>
