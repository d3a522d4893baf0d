import type { Server as HttpServer } from 'node:http'
import type express from 'express'
import type { LiveAggregates } from '../live-counts/live-aggregates.js'
import type { AlarmService } from '../alarms/alarm-service.js'
import type { DisplayLinkService } from '../access/display-links.js'
import type { Auth } from '../auth/index.js'
import type { CampaignService } from '../campaigns/campaign-service.js'
import type { AppClock } from '../clock.js'
import type { AppConfig } from '../config.js'
import type { EventBus } from '../events/bus.js'
import type { CityGeo } from '../geo/city-geo.js'
import type { GreenwayFeature } from '../greenway/index.js'
import type { IngestFn, IngestJsonFn } from '../ingest/ingest-service.js'
import type { EventLoopMonitor } from '../load/event-loop-monitor.js'
import type { AdmissionOptions } from '../load/ingest-admission.js'
import type { SheddingOptions } from '../load/analytics-shedding.js'
import type { Logger } from '../log.js'
import type { PublisherOptions } from '../realtime/delta-publisher.js'
import type { IoServer } from '../realtime/types.js'
import type { SourcesFeature } from '../sources/index.js'
import type { MqttCallbacks, MqttSource } from '../sources/mqtt/index.js'
import type { Simulator } from '../sources/simulator/index.js'
import type { IncidentRepository } from '../store/repository.js'
import type { CaseService } from '../workflow/case-service.js'

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
  /** How long a shutdown lets requests in hand finish before it cuts their connections (default 10 s). */
  shutdownGraceMs: number
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
  /** The domain event bus every producer publishes to (docs/ARCHITECTURE.md "Domain event bus"). */
  readonly events: EventBus
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
