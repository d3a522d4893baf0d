import { parseScope } from '../../shared/scope.js'
import type { AlarmPlace, AlarmService } from '../alarms/alarm-service.js'
import type { CityGeo } from '../geo/city-geo.js'
import type { Logger } from '../log.js'
import type { SourceInfo, SourceRegistry, SourceTransition } from './registry.js'

/** A device's place for its alarm: its own site when registered with one, else its scope's label point. */
export function placeOf(geo: Pick<CityGeo, 'info' | 'units' | 'locate'>, s: Pick<SourceInfo, 'scope' | 'lon' | 'lat'>): AlarmPlace {
  if (s.lon !== undefined && s.lat !== undefined) {
    const at = geo.locate(s.lon, s.lat)
    if (at) return { district: at.district, street: at.street, community: at.community, lon: s.lon, lat: s.lat }
  }
  const scope = s.scope ? parseScope(s.scope) : null
  const unit = scope?.code ? geo.units.get(scope.code) : undefined
  const [lon, lat] = unit?.center ?? geo.info.center
  if (!unit) return { district: '', street: '', community: '', lon, lat }
  return unit.level === 'street'
    ? { district: unit.parent ?? '', street: unit.code, community: '', lon, lat }
    : { district: unit.code, street: '', community: '', lon, lat }
}

/**
 * 设备离线: a device's offline transition raises one alarm through the alarm service, being heard again resolves
 * it. Transitions are handled in order (a quick offline → online never resolves before it raised).
 */
export function watchDeviceOutages(deps: { registry: SourceRegistry, alarms: Pick<AlarmService, 'sourceOffline' | 'sourceBack'>, geo: Pick<CityGeo, 'info' | 'units' | 'locate'>, log: Logger }) {
  let queue: Promise<unknown> = Promise.resolve()
  const handle = (t: SourceTransition): Promise<unknown> => t.online
    ? deps.alarms.sourceBack(t.source.id)
    : deps.alarms.sourceOffline({ sourceId: t.source.id, sourceLabel: t.source.label, sinceMs: t.at, place: placeOf(deps.geo, t.source) })
  deps.registry.onTransition((t) => {
    if (t.source.kind !== 'device') return
    queue = queue.then(() => handle(t)).catch((err: unknown) => deps.log.error('device offline alarm failed', { source: t.source.id, error: String(err) }))
  })
  /** Resolves once every transition so far has reached the store (tests, shutdown). */
  return { settled: () => queue.then(() => undefined) }
}
