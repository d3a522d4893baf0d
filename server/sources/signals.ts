import type { Source } from '../../shared/enums.js'
import type { SourceRegistry } from './registry.js'

/** A device as the device registry knows it (issue #15's `npm run user -- device add`). */
export interface DeviceRecord {
  deviceId: string
  /** water_level, manhole, camera, footfall … (shown as the source's label). */
  kind: string
  scope?: string | null
  /** Seconds between messages it promises; silent longer → offline and a 设备离线 alarm. */
  expectedIntervalSec?: number | null
  channel?: Source | null
  lon?: number
  lat?: number
}

export const deviceSourceId = (deviceId: string) => `device:${deviceId}`
export const apiKeySourceId = (keyId: string) => `api_key:${keyId}`

/**
 * What the MQTT module calls per device, shaped as its module options (`onAccepted`, `onRejected`, `onStatus`):
 * spread into them at wiring time. A message from an unregistered device id is counted under that id (up to the
 * registry's cap) with reason `unknown-device`.
 */
export function deviceSignals(registry: SourceRegistry) {
  return {
    onRegistered(d: DeviceRecord): void {
      registry.register({
        id: deviceSourceId(d.deviceId), kind: 'device', label: d.kind, scope: d.scope ?? null, channel: d.channel ?? 'iot_sensor',
        expectedIntervalMs: d.expectedIntervalSec ? d.expectedIntervalSec * 1000 : null,
        ...(d.lon !== undefined && d.lat !== undefined && { lon: d.lon, lat: d.lat }),
      })
    },
    onRemoved(deviceId: string): void {
      registry.unregister(deviceSourceId(deviceId))
    },
    onAccepted(deviceId: string, n = 1): void {
      registry.accepted(deviceSourceId(deviceId), n)
    },
    onRejected(deviceId: string, reason: string, n = 1): void {
      registry.rejected(deviceSourceId(deviceId), reason, n)
    },
    onStatus(deviceId: string, online: boolean): void {
      registry.status(deviceSourceId(deviceId), online)
    },
  }
}

/** What API-key authentication (issue #14) calls per key: a system (12345 platform, citizen app, contractor). */
export function apiKeySignals(registry: SourceRegistry) {
  return {
    onRegistered(k: { keyId: string, name: string, scope?: string | null, channel?: Source | null }): void {
      registry.register({ id: apiKeySourceId(k.keyId), kind: 'api_key', label: k.name, scope: k.scope ?? null, channel: k.channel ?? null })
    },
    onRevoked(keyId: string): void {
      registry.unregister(apiKeySourceId(keyId))
    },
    onAccepted(keyId: string, n = 1): void {
      registry.accepted(apiKeySourceId(keyId), n)
    },
    onRejected(keyId: string, reason: string, n = 1): void {
      registry.rejected(apiKeySourceId(keyId), reason, n)
    },
  }
}

export type DeviceSignals = ReturnType<typeof deviceSignals>
export type ApiKeySignals = ReturnType<typeof apiKeySignals>
