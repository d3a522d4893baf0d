import type { GreenwaySnapshot } from '../../shared/greenway/types.js'
import type { EventBus } from '../events/bus.js'
import type { GreenwayConfig } from './greenway-service.js'
import type { CityGeo } from '../geo/city-geo.js'
import type { Logger } from '../log.js'
import { createFootfallService } from './footfall-service.js'
import { createFootfallSimulator, demoSensors } from './footfall-simulator.js'
import { createGreenwayService } from './greenway-service.js'
import { createGreenwayStore } from './greenway-store.js'

export interface GreenwayDeps {
  events: Pick<EventBus, 'publish'>
  geo: CityGeo
  config: { dataDir: string, city: string, greenway: GreenwayConfig, simulator: { enabled: boolean, seed: number, speed: number } }
  now: () => number
  log: Logger
}

/**
 * The greenway feature (issue #6) wired in one place: its store, the greenway and footfall services, and the demo
 * counters. It publishes `greenway.changed` and `footfall.counted`; realtime pushes them, http serves its routes.
 */
export function createGreenway(deps: GreenwayDeps) {
  const { events, geo, config, now, log } = deps
  const store = createGreenwayStore(config.dataDir)
  const greenway = createGreenwayService({ geo, config: config.greenway, cityId: config.city, store, now, log, onChanged: () => events.publish('greenway.changed', { version: greenway.version }) })
  const place = (id: string) => {
    const s = greenway.segment(id)
    const mid = s?.coords[Math.floor(s.coords.length / 2)]
    return s && mid ? { name: s.name, lon: mid[0]!, lat: mid[1]! } : undefined
  }
  const footfall = createFootfallService({ store, crowding: config.greenway.crowding, now, place, onChanged: readings => events.publish('footfall.counted', { readings }) })

  /** What `greenway:subscribe` answers with. */
  const snapshot = (): GreenwaySnapshot => ({
    version: greenway.version, params: greenway.params, info: greenway.info(), network: greenway.summary(),
    city: greenway.cityRow(), districts: greenway.rows('district'), footfall: footfall.state(),
  })

  // the demo counters sit on the network as loaded at start (reading it loads the greenway data)
  const sensors = () => demoSensors(greenway.networkGeoJson().features.map(f => ({ ...(f.properties as { id: string, tier: string, status: string }), coords: (f.geometry as GeoJSON.LineString).coordinates })), geo.info.center)
  const simulator = config.simulator.enabled
    ? createFootfallSimulator({ sensors, ingest: footfall.ingest, seed: config.simulator.seed + 6, speed: config.simulator.speed, utcOffsetMinutes: geo.info.utcOffsetMinutes, now, log: msg => log.warn(msg) })
    : null

  return {
    greenway,
    footfall,
    snapshot,
    start(): void {
      simulator?.start()
    },
    /** Stops the demo counters; `close` (after the HTTP server) releases the database. */
    async stop(): Promise<void> {
      await simulator?.stop()
    },
    close: () => store.close(),
  }
}

export type GreenwayFeature = ReturnType<typeof createGreenway>
