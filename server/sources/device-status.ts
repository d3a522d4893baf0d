import { parseScope } from '../../shared/scope.js'
import type { EventBus } from '../events/bus.js'
import type { DevicePlace } from '../events/domain-events.js'
import type { CityGeo } from '../geo/city-geo.js'
import type { SourceInfo, SourceRegistry } from './registry.js'

/** A device's place for its alarm: its own site when registered with one, else its scope's label point. */
export function placeOf(geo: Pick<CityGeo, 'info' | 'units' | 'locate'>, s: Pick<SourceInfo, 'scope' | 'lon' | 'lat'>): DevicePlace {
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
 * 设备离线: each offline or online transition of a device is published as `device.status`, in order; the alarm
 * service raises and resolves the alarm (alarms/device-outages.ts).
 */
export function publishDeviceStatus(deps: { registry: SourceRegistry, events: Pick<EventBus, 'publish'>, geo: Pick<CityGeo, 'info' | 'units' | 'locate'> }): void {
  deps.registry.onTransition((t) => {
    if (t.source.kind !== 'device') return
    deps.events.publish('device.status', { sourceId: t.source.id, sourceLabel: t.source.label, online: t.online, at: t.at, place: placeOf(deps.geo, t.source) })
  })
}
