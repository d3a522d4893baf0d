import type { CoveragePush, CoverageRow, FacilitySummary, GreenwaySnapshot, GreenwayStatus, NetworkSummary } from '../../shared/greenway/types.js'

/** What a client keeps of the coverage: city and district rows and the network summary, at a version. */
export interface CoverageState {
  version: number
  city: CoverageRow
  districts: CoverageRow[]
  network: NetworkSummary
}

export type PushOutcome =
  | { kind: 'applied', state: CoverageState }
  /** The data were reloaded: take this state and refetch geometry. */
  | { kind: 'reset', state: CoverageState }
  /** Already reflected (the snapshot was newer). */
  | { kind: 'stale' }
  /** Something was missed: resubscribe for a snapshot. */
  | { kind: 'gap' }

export function fromSnapshot(s: GreenwaySnapshot): CoverageState {
  return { version: s.version, city: s.city, districts: s.districts, network: s.network }
}

/** Rows are absolute figures, so a push overlapping what the client has is safe to apply. */
export function applyPush(state: CoverageState, push: CoveragePush): PushOutcome {
  const next = (districts: CoverageRow[]): CoverageState => ({ version: push.version, city: push.city, districts, network: push.network })
  if (push.reset) return { kind: 'reset', state: next(push.districts) }
  if (state.version >= push.version) return { kind: 'stale' }
  if (state.version < push.fromVersion) return { kind: 'gap' }
  const changed = new Map(push.districts.map(d => [d.code, d]))
  return { kind: 'applied', state: next(state.districts.map(d => changed.get(d.code) ?? d)) }
}

/** The network with new statuses (a new object when anything changed, for the map source). */
export function withStatuses(fc: GeoJSON.FeatureCollection, changes: readonly { id: string, status: GreenwayStatus }[]): GeoJSON.FeatureCollection {
  if (changes.length === 0) return fc
  const status = new Map(changes.map(c => [c.id, c.status]))
  return {
    ...fc,
    features: fc.features.map((f) => {
      const s = status.get(String(f.properties?.id))
      return s && s !== f.properties?.status ? { ...f, properties: { ...f.properties, status: s } } : f
    }),
  }
}

/** Facilities with new or changed ones upserted by id. */
export function withFacilities(fc: GeoJSON.FeatureCollection, changed: readonly FacilitySummary[]): GeoJSON.FeatureCollection {
  if (changed.length === 0) return fc
  const byId = new Map(changed.map(f => [f.id, f]))
  const feature = (f: FacilitySummary): GeoJSON.Feature => ({ type: 'Feature', properties: { id: f.id, name: f.name, type: f.type, status: f.status }, geometry: { type: 'Point', coordinates: [f.lon, f.lat] } })
  const features = fc.features.map((f) => {
    const c = byId.get(String(f.properties?.id))
    if (!c) return f
    byId.delete(c.id)
    return feature(c)
  })
  return { ...fc, features: [...features, ...[...byId.values()].map(feature)] }
}

/** Total km of a summary, optionally of one status. */
export function totalKm(n: NetworkSummary, status?: GreenwayStatus): number {
  let km = 0
  for (const byStatus of Object.values(n.km)) for (const [s, v] of Object.entries(byStatus)) if (!status || s === status) km += v
  return km
}
