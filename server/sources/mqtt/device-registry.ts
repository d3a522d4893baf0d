import { parseScope } from '../../../shared/scope.js'
import type { DeviceRecord, DeviceStore } from '../../store/repository.js'
import { DEVICE_KIND_NAMES, deviceKind } from './device-kinds.js'
import { generatePassword, hashPassword, verifyPassword } from './passwords.js'

/** MQTT-topic-safe (no / + #) and short enough that `mqtt:{device}:{message id}` fits an incident id. */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9_.-]{1,24}$/
export const DEFAULT_INTERVAL_S = 300
/** A device read for each message is cached this long (a `device disable` from the CLI takes effect within it). */
const CACHE_MS = 5000

export interface NewDevice {
  id: string
  kind: string
  scope: string
  intervalS?: number
  lon?: number
  lat?: number
  segment?: string
}

export class DeviceError extends Error {}

export type DeviceRegistry = ReturnType<typeof createDeviceRegistry>

/** The registered devices: the broker's credentials and what each device is (the CLI and the MQTT source share it). */
export function createDeviceRegistry(repo: DeviceStore, now: () => number = Date.now) {
  const cache = new Map<string, { device: DeviceRecord | null, at: number }>()

  function check(d: NewDevice): void {
    if (!DEVICE_ID_PATTERN.test(d.id)) throw new DeviceError(`deviceId: 1–24 letters, digits, _ . - (got "${d.id}")`)
    if (!deviceKind(d.kind)) throw new DeviceError(`kind: one of ${DEVICE_KIND_NAMES.join(', ')} (got "${d.kind}")`)
    if (!parseScope(d.scope)) throw new DeviceError(`scope: city, district:<code> or street:<code> (got "${d.scope}")`)
    if (d.intervalS !== undefined && (!Number.isInteger(d.intervalS) || d.intervalS < 1 || d.intervalS > 7 * 86_400)) throw new DeviceError('interval: whole seconds, 1 to 604800')
    if ((d.lon === undefined) !== (d.lat === undefined)) throw new DeviceError('lon/lat: give both or neither')
    if (d.lon !== undefined && (!Number.isFinite(d.lon) || Math.abs(d.lon) > 180 || !Number.isFinite(d.lat) || Math.abs(d.lat!) > 90)) throw new DeviceError('lon/lat: WGS-84 degrees')
  }

  return {
    /** Registers a device; resolves to it and its password, which exists nowhere else afterwards. */
    async add(d: NewDevice): Promise<{ device: DeviceRecord, password: string }> {
      check(d)
      const password = generatePassword()
      const device: DeviceRecord = {
        id: d.id, kind: d.kind, scope: d.scope, intervalS: d.intervalS ?? DEFAULT_INTERVAL_S,
        ...(d.lon !== undefined && { lon: d.lon, lat: d.lat! }), ...(d.segment && { segment: d.segment }),
        excursions: {}, createdAt: new Date(now()).toISOString(),
      }
      if (!await repo.insertDevice(device, await hashPassword(password))) throw new DeviceError(`deviceId: "${d.id}" is already registered`)
      cache.delete(d.id)
      return { device, password }
    },
    list: () => repo.listDevices(),
    async disable(id: string): Promise<DeviceRecord | null> {
      cache.delete(id)
      return repo.disableDevice(id, new Date(now()).toISOString())
    },
    /** The device if the password is its own and it is not disabled; else null (which of these is not told). */
    async authenticate(id: string, password: string): Promise<DeviceRecord | null> {
      const found = await repo.deviceWithHash(id)
      if (!found || found.device.disabledAt) return null
      if (!await verifyPassword(password, found.passwordHash)) return null
      cache.set(id, { device: found.device, at: now() })
      return found.device
    },
    /** A registered, enabled device (cached for a few seconds: read on every message). */
    async get(id: string): Promise<DeviceRecord | null> {
      const hit = cache.get(id)
      if (hit && now() - hit.at < CACHE_MS) return hit.device
      const found = await repo.deviceWithHash(id)
      const device = found && !found.device.disabledAt ? found.device : null
      if (cache.size >= 10_000) cache.clear() // unknown ids named in topics cannot grow it without bound
      cache.set(id, { device, at: now() })
      return device
    },
  }
}
