import { parseScope } from '../../shared/scope.js'
import { createDisplayLinkService } from '../access/display-links.js'
import type { ScopeResolvers } from '../access/request-scope.js'
import { createAlarmService } from '../alarms/alarm-service.js'
import { subscribeDeviceOutages } from '../alarms/device-outages.js'
import { createAuth, ensureFirstAdmin } from '../auth/index.js'
import { createCampaignService } from '../campaigns/campaign-service.js'
import { ensureDemoCampaign } from '../campaigns/demo.js'
import { loadRecordedCampaigns } from '../campaigns/recorded.js'
import type { AppConfig } from '../config.js'
import type { EventBus } from '../events/bus.js'
import type { CityGeo } from '../geo/city-geo.js'
import { createGreenway } from '../greenway/index.js'
import { createIngestService } from '../ingest/ingest-service.js'
import type { Logger } from '../log.js'
import type { SocketControl } from './socket-control.js'
import { createSources } from '../sources/index.js'
import { createDepartmentSimulator } from '../sources/simulator/departments.js'
import { createCaseService } from '../workflow/case-service.js'
import { DuplicateDetector } from '../workflow/duplicate-detector.js'
import type { Stores } from './stores.js'
import type { AppDeps } from './types.js'

/** Which units exist and where they sit: what routes, sockets and access checks ask of the geography. */
export interface Places {
  unitExists: (level: 'district' | 'street', code: string) => boolean
  districtOfStreet: (street: string) => string | undefined
  scopeExists: (scope: string) => boolean
}

export function placesOf(geo: CityGeo): Places {
  const unitExists = (level: 'district' | 'street', code: string) => geo.units.get(code)?.level === level
  return {
    unitExists,
    districtOfStreet: street => geo.units.get(street)?.parent ?? undefined,
    scopeExists: (scope) => {
      const p = parseScope(scope)
      return p !== null && (p.level === 'city' || unitExists(p.level, p.code!))
    },
  }
}

/**
 * The domain services: each producer gets the bus to publish to; none holds a socket (the access services get
 * `sockets` to cut off what they revoke).
 */
export async function buildDomain(config: AppConfig, geo: CityGeo, stores: Stores, bus: EventBus, sockets: SocketControl, log: Logger, deps: Partial<AppDeps>) {
  const { repo, now } = stores
  const places = placesOf(geo)
  const utcOffsetMinutes = geo.info.utcOffsetMinutes
  const cases = createCaseService({ repo, utcOffsetMinutes, now, events: bus })
  const alarms = createAlarmService({ repo, events: bus, now, log, burst: config.rules.burst })
  subscribeDeviceOutages(bus, alarms, log)
  const sources = createSources({ now, geo, alarms, events: bus, log, open311Keys: config.open311.apiKeys, simulator: config.simulator.enabled, ...deps.sourceSweepMs !== undefined && { sweepMs: deps.sourceSweepMs } })
  const duplicates = new DuplicateDetector(config.rules.duplicate)
  const displayLinks = createDisplayLinkService(repo, now, sockets.disconnectDisplay)
  // users and sessions (issue #14): revoking a session disconnects its sockets; the first start creates an admin
  // sessions, login throttling, key rate limits and the access audit run on real time, never the simulated city's
  // clock: at SIM_SPEED 720 an 8-hour idle limit would sign everyone out every 40 s (tests pass a bare `now`)
  const auth = createAuth({ store: repo.auth, config: config.auth, now: deps.now ?? Date.now, scopeExists: places.scopeExists, onSessionsRevoked: sockets.disconnectSessions })
  await ensureFirstAdmin(auth, log)
  // campaigns (issue #11): live ones in the store, recorded historic ones from data; a demo drive with the simulator
  const campaigns = createCampaignService({ repo, recorded: loadRecordedCampaigns(geo.info.id), utcOffsetMinutes, now, nameOf: code => geo.units.get(code)?.name ?? code, ...deps.campaignRecountMs !== undefined && { minRecountMs: deps.campaignRecountMs } })
  // what a principal may do and see, from the one table in shared/access.ts (issue #14)
  const access: ScopeResolvers = {
    districtOfStreet: places.districtOfStreet,
    unit: code => geo.units.get(code),
    cellCommunity: h3 => geo.cell(h3)?.community,
    incidentPlace: async id => await repo.getIncident(id),
    alarmPlace: async id => await repo.getAlarm(id),
    campaignScope: async id => (await campaigns.list()).find(c => c.campaign.id === id)?.campaign.scope ?? null,
  }
  // With the simulator on, it also plays the centre, departments and verifiers, through the case service.
  const departments = config.simulator.enabled
    ? createDepartmentSimulator({ cases, seed: config.simulator.seed, now, log: msg => log.warn(msg) })
    : null
  const greenway = createGreenway({ events: bus, geo, config, now, log })
  if (config.simulator.enabled) await ensureDemoCampaign(campaigns, geo, now())

  // ingest (issue #13): parsed, validated and located on worker threads; stored by group commit, each duplicate
  // proposal and each alarm in the same commit as its report; published, then answered, after commit
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
    // with the store's writer thread, the next commit is planned here while the writer writes the one before
    maxCommitsInFlight: repo.writerStats?.().mode === 'thread' ? 2 : 1,
    events: bus,
    onFanOutError: err => log.error('after-commit fan-out failed', { error: String(err), stack: (err as Error).stack }),
  })
  return { places, cases, alarms, sources, displayLinks, auth, campaigns, access, departments, greenway, ingestService }
}

export type Domain = Awaited<ReturnType<typeof buildDomain>>
