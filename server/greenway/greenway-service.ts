import { existsSync } from 'node:fs'
import path from 'node:path'
import { requiredReached, serviceBand } from '../../shared/greenway/coverage.js'
import { CoverageModel, type ModelChanges } from './coverage/coverage-model.js'
import { applyLatest, changeProblem, targetOf } from './greenway-changes.js'
import type { CoverageLevel, CoverageParams, CoverageRow, FacilitySummary, FacilityType, GreenwayDataInfo, NetworkSummary } from '../../shared/greenway/types.js'
import { GREENWAY_BANDS_M } from '../../shared/greenway/types.js'
import type { IngestResult } from '../../shared/incident.js'
import type { ErrorDetail } from '../../shared/schemas/errors.js'
import { issuesToDetails } from '../../shared/schemas/errors.js'
import { type GreenwayChange, greenwayChangeSchema } from '../../shared/schemas/greenway.js'
import { type CityGeo, GEO_DATA_DIR } from '../geo/city-geo.js'
import type { Logger } from '../log.js'
import { BandShapes } from './band-shapes.js'
import { checkFacilities, checkNetwork, type FileInfo, type NetworkSegment, readJson } from './data-files.js'
import type { GreenwayChangeRepository, NewChange } from '../store/contracts/greenway-change-repository.js'
import { cityLocator, cityModelBase } from './model-input.js'

/** Greenway network and facility files (null: the city's demo files when present), service circle, crowding alarm. */
export interface GreenwayConfig {
  readonly networkFile: string | null
  readonly facilitiesFile: string | null
  readonly serviceRadiusM: number
  readonly requiredTypes: readonly FacilityType[]
  readonly crowding: { readonly threshold: number, readonly windowMinutes: number }
}

export interface GreenwayServiceDeps {
  geo: CityGeo
  config: GreenwayConfig
  cityId: string
  store: GreenwayChangeRepository
  now: () => number
  log: Logger
  /** After a committed batch changed the coverage (or the data were reloaded): the publisher coalesces these. */
  onChanged: () => void
}

export type ReloadOutcome = { ok: true, segments: number, facilities: number } | { ok: false, error: string, details: ErrorDetail[] }
export type BandMeasure = 'greenway' | 'service'

/** A change may be stamped at most this far ahead of the server's clock (latest `at` wins, so the future would stick). */
const FUTURE_SLACK_MS = 5 * 60_000

const idOf = (raw: unknown) => (typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string' ? raw.id.slice(0, 64) : null)

/**
 * The greenway data set and its coverage: loads and checks the configured files, replays the stored changes on top,
 * and takes new changes through one ingest path (HTTP now, other sources later): validate each → store the batch →
 * apply to the incremental coverage model → notify. The latest `at` per segment or facility wins.
 */
export function createGreenwayService(deps: GreenwayServiceDeps) {
  const { geo, config, store, log } = deps
  const locator = cityLocator(geo)
  const city = { name: geo.info.name, contains: (lon: number, lat: number) => Boolean(locator.communityAt(lon, lat)) }
  const networkFile = config.networkFile ?? defaultFile(deps.cityId, 'greenways.geojson')
  const facilitiesFile = config.facilitiesFile ?? defaultFile(deps.cityId, 'facilities.geojson')
  const params: CoverageParams = { bandsM: GREENWAY_BANDS_M, serviceRadiusM: config.serviceRadiusM, requiredTypes: config.requiredTypes }

  let segments: NetworkSegment[] = []
  let segmentById = new Map<string, NetworkSegment>()
  let facilities: FacilitySummary[] = []
  let fileInfo: FileInfo = { approximate: false, note: null, planKm: null }
  let lastError: string | null = null
  // Built on first use (≈ 1–2 s for Chengdu: checking the files, indexing, the first full computation), so an
  // instance that never serves greenways — most tests — never pays for it.
  let base: ReturnType<typeof cityModelBase> | null = null
  let model: CoverageModel | null = null
  let appliedAt = new Map<string, number>()
  const knownChanges = new Set<string>()
  let version = 0
  let reset = false
  let shapes: Record<BandMeasure, BandShapes> | null = null

  function build(): CoverageModel {
    base ??= cityModelBase(geo)
    return new CoverageModel({ ...base, segments, facilities, serviceRadiusM: config.serviceRadiusM, requiredTypes: config.requiredTypes })
  }

  /** Reads and checks both files; commits to them only if both pass. */
  function readFiles(): ReloadOutcome {
    const next = { segments: [] as NetworkSegment[], facilities: [] as FacilitySummary[], info: { approximate: false, note: null, planKm: null } as FileInfo }
    if (networkFile) {
      const json = readJson(networkFile)
      const checked = json.ok ? checkNetwork(json.json, locator) : json
      if (!checked.ok) return { ok: false, error: `${path.basename(networkFile)}: ${checked.error}`, details: checked.details }
      next.segments = checked.data
      next.info = checked.info
    }
    if (facilitiesFile) {
      const json = readJson(facilitiesFile)
      const checked = json.ok ? checkFacilities(json.json, locator) : json
      if (!checked.ok) return { ok: false, error: `${path.basename(facilitiesFile)}: ${checked.error}`, details: checked.details }
      next.facilities = checked.data
      next.info = { ...next.info, approximate: next.info.approximate || checked.info.approximate, note: next.info.note ?? checked.info.note }
    }
    segments = next.segments
    segmentById = new Map(segments.map(s => [s.id, s]))
    facilities = next.facilities
    fileInfo = next.info
    return { ok: true, segments: segments.length, facilities: facilities.length }
  }

  /** Files → model, then every stored change in arrival order. A refused file leaves the previous data in use. */
  function load(): ReloadOutcome {
    const started = performance.now()
    const outcome = readFiles()
    if (!outcome.ok) {
      lastError = outcome.error
      log.error('greenway data refused; keeping the previous data', { error: outcome.error, networkFile, facilitiesFile })
      // the previous data of a fresh start is "none": an empty network and zero coverage — the server still runs
      model ??= build()
      return outcome
    }
    lastError = null
    const m = build()
    model = m
    appliedAt = new Map()
    let skipped = 0
    for (const row of store.changes()) {
      knownChanges.add(row.id)
      const parsed = greenwayChangeSchema.safeParse(JSON.parse(row.body))
      if (!parsed.success || changeProblem(m, parsed.data, new Set(), city) !== null) skipped += 1
      else applyLatest(m, parsed.data, appliedAt)
    }
    if (skipped > 0) log.warn('stored greenway changes skipped: their segment or facility is not in the current data', { skipped })
    m.drainChanges()
    shapes = null
    log.info('greenway data loaded', { segments: segments.length, facilities: facilities.length, ms: Math.round(performance.now() - started) })
    return outcome
  }

  function ready(): CoverageModel {
    if (!model) load()
    return model!
  }

  /** The one way in for changes: each judged alone, the accepted ones stored in one transaction, then applied. */
  async function ingest(events: unknown[]): Promise<IngestResult[]> {
    const m = ready()
    const results: IngestResult[] = new Array(events.length)
    const accepted: { k: number, change: GreenwayChange }[] = []
    const addedInBatch = new Set<string>()
    const limit = deps.now() + FUTURE_SLACK_MS
    events.forEach((raw, k) => {
      const parsed = greenwayChangeSchema.safeParse(raw)
      if (!parsed.success) {
        results[k] = { id: idOf(raw), status: 'rejected', error: issuesToDetails(parsed.error).map(d => `${d.path}: ${d.message}`).join('; ') }
        return
      }
      const c = parsed.data
      if (knownChanges.has(c.id)) {
        results[k] = { id: c.id, status: 'duplicate' }
        return
      }
      const problem = Date.parse(c.at) > limit ? `at: ${c.at} is in the future` : changeProblem(m, c, addedInBatch, city)
      if (problem) {
        results[k] = { id: c.id, status: 'rejected', error: problem }
        return
      }
      if (c.kind === 'facility-added') addedInBatch.add(c.facility.id)
      accepted.push({ k, change: c })
    })
    if (accepted.length === 0) return results
    const rows: NewChange[] = accepted.map(({ change }) => ({ id: change.id, kind: change.kind, target: targetOf(change), body: JSON.stringify(change), atMs: Date.parse(change.at) }))
    const stored = store.insertChanges(rows, new Date(deps.now()).toISOString())
    let changed = false
    for (const { k, change } of accepted) {
      const first = stored.has(change.id) && !knownChanges.has(change.id)
      knownChanges.add(change.id)
      results[k] = { id: change.id, status: first ? 'stored' : 'duplicate' }
      if (first && applyLatest(m, change, appliedAt)) changed = true
    }
    if (changed) {
      version += 1
      deps.onChanged()
    }
    return results
  }

  function reload(): ReloadOutcome {
    const outcome = load()
    if (outcome.ok) {
      version += 1
      reset = true
      deps.onChanged()
    }
    return outcome
  }

  return {
    params,
    get version() { return version },
    /** Loads now (start-up with live sources) rather than on first use. */
    ready: () => { ready() },
    reload,
    ingest,
    info: (): GreenwayDataInfo => {
      ready()
      // file names only: clients need not learn the server's directories (the log has the full paths)
      return { ...fileInfo, networkFile: networkFile && path.basename(networkFile), facilitiesFile: facilitiesFile && path.basename(facilitiesFile), lastError }
    },
    summary: (): NetworkSummary => ready().summary(),
    cityRow: (): CoverageRow => ready().cityRow(),
    rows: (level: CoverageLevel, parent?: string) => (level === 'city' ? [ready().cityRow()] : ready().rows(level, parent)),
    segment: (id: string) => {
      ready()
      return segmentById.get(id)
    },
    /** What changed since the last call, for the publisher; `reset` once after a reload. */
    drain(): ModelChanges & { version: number, reset: boolean } {
      const out = { ...ready().drainChanges(), version, reset }
      reset = false
      return out
    },
    /** The network as served: the file's geometry with the current statuses. */
    networkGeoJson(): GeoJSON.FeatureCollection {
      const model = ready()
      return {
        type: 'FeatureCollection',
        features: segments.map(s => ({
          type: 'Feature',
          properties: { id: s.id, name: s.name, tier: s.tier, status: model.segmentStatus(s.id) ?? s.status, lengthKm: s.lengthKm, ...(s.corridor && { corridor: s.corridor }) },
          geometry: { type: 'LineString', coordinates: s.coords },
        })),
      }
    },
    facilitiesGeoJson(): GeoJSON.FeatureCollection {
      const model = ready()
      return {
        type: 'FeatureCollection',
        features: model.facilityList().map(f => ({ type: 'Feature', properties: { id: f.id, name: f.name, type: f.type, status: f.status }, geometry: { type: 'Point', coordinates: [f.lon, f.lat] } })),
      }
    },
    /**
     * Grid cells dissolved by band — greenway: 0 within 500 m, 1 within 1,000 m of a built greenway (farther: not
     * drawn); service: 3 every required facility type within the service radius, 2 at least half, 1 at least one.
     */
    bands(measure: BandMeasure): Promise<GeoJSON.FeatureCollection> {
      const m = ready()
      shapes ??= { greenway: new BandShapes(base!.h3, b => b < GREENWAY_BANDS_M.length), service: new BandShapes(base!.h3, b => b > 0) }
      const required = m.requiredBits
      const count = m.requiredTypes.length
      const bandOf = measure === 'greenway' ? (i: number) => m.cellBand[i]! : (i: number) => serviceBand(requiredReached(m.cellMask[i]!, required), count)
      return shapes[measure].collection(bandOf, i => m.cellStamp[i]!)
    },
  }
}

function defaultFile(cityId: string, name: string): string | null {
  const file = path.join(GEO_DATA_DIR, cityId, name)
  return existsSync(file) ? file : null
}

export type GreenwayService = ReturnType<typeof createGreenwayService>
