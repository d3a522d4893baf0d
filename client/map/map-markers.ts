import * as maplibregl from 'maplibre-gl'
import type { Alarm } from '../../shared/alarms.js'
import type { GeoUnit } from '../../shared/geo/types.js'
import { syncMarkers } from './sync-markers.js'

/**
 * The map's DOM markers: district names (HTML, so the offline style needs no glyph server) and one flashing marker
 * per unacknowledged alarm — alarms are few and must catch the eye, so CSS pulses them and the map need not repaint.
 */
export class MapMarkers {
  private readonly labels: maplibregl.Marker[] = []
  private readonly alarms = new Map<number, maplibregl.Marker>()
  private wanted: readonly Alarm[] = []

  addLabels(m: maplibregl.Map, units: readonly GeoUnit[]): void {
    for (const u of units) {
      const el = document.createElement('div')
      el.className = 'district-label'
      el.textContent = u.name
      this.labels.push(new maplibregl.Marker({ element: el }).setLngLat(u.center).addTo(m))
    }
  }

  /** Keeps one marker per alarm of `list` (remembered: a rebuilt map gets them again through `reapply`). */
  setAlarms(m: maplibregl.Map | null, list: readonly Alarm[]): void {
    this.wanted = list
    if (!m) return
    syncMarkers(m, this.alarms, list, a => a.id, a => [a.lon, a.lat], (a) => {
      const el = document.createElement('div')
      el.className = `alarm-marker alarm-marker--${a.kind}`
      el.dataset.alarmId = String(a.id)
      return el
    })
  }

  reapply(m: maplibregl.Map): void {
    this.setAlarms(m, this.wanted)
  }

  /** Every marker off the map (it is being removed). */
  removeAll(): void {
    for (const mk of this.labels.splice(0)) mk.remove()
    for (const mk of this.alarms.values()) mk.remove()
    this.alarms.clear()
  }
}
