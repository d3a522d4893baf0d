import { SIMULATOR } from '../ingest/ingest-guard.js'
import type { AppConfig } from '../config.js'
import type { CityGeo } from '../geo/city-geo.js'
import type { Logger } from '../log.js'
import { createMqttSource } from '../sources/mqtt/index.js'
import { createSimulator } from '../sources/simulator/index.js'
import type { Domain } from './domain.js'
import type { Stores } from './stores.js'
import type { AppDeps } from './types.js'

/** The sources that push into ingest by themselves: MQTT devices and the report simulator (each null when off). */
export function createInputs(config: AppConfig, geo: CityGeo, stores: Stores, domain: Domain, log: Logger, deps: Partial<AppDeps>) {
  const { repo, now } = stores
  const { ingest } = domain.ingestService
  const { sources } = domain
  // MQTT devices (issue #15): events and readings past a threshold through the same `ingest`; counters' readings
  // through the footfall service, as POST /api/v1/footfall
  const mqtt = config.mqtt.enabled
    ? createMqttSource({ ...sources.mqttCallbacks(deps.mqtt), config: config.mqtt, cityCode: geo.info.code, repo, ingest, footfall: domain.greenway.footfall.ingest, locate: (lon, lat) => geo.locate(lon, lat), now, log })
    : null
  const simulator = config.simulator.enabled
    ? createSimulator({ geo, ingest: sources.simulator(events => ingest(events, SIMULATOR)), seed: config.simulator.seed, speed: config.simulator.speed, rate: config.simulator.rate, now, log: msg => log.info(msg) })
    : null
  return { mqtt, simulator }
}
