import type { Source } from '../../shared/enums.js'
import { rejectReason } from './metered-ingest.js'
import type { SourceRegistry } from './registry.js'

/** A device as the device registry knows it (issue #15's `npm run user -- device add`). */
export interface DeviceSource {
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
 * The MQTT module's reasons in the registry's words: a topic outside the device's own is `acl`, a bad payload is
 * `schema:<field>` (the field its detail names); the others (`unknown-device`, `bad-json`, `bad-credentials`,
 * `out-of-scope`, `no-location` …) as they are.
 */
export function deviceRejectReason(reason: string, detail?: string): string {
  if (reason === 'not-own-topic') return 'acl'
  if (reason === 'bad-payload') {
    const r = rejectReason(detail)
    return r === 'outside-city' || r.startsWith('schema:') ? r : 'schema'
  }
  return reason
}

/**
 * What the MQTT module calls per device, shaped as its module options (`onAccepted`, `onRejected`, `onStatus`):
 * spread into them at wiring time. A message from an unregistered device id is counted under that id (up to the
 * registry's cap) with reason `unknown-device`.
 */
export function deviceSignals(registry: SourceRegistry) {
  return {
    onRegistered(d: DeviceSource): void {
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
    /** `detail` (the MQTT module's message) names the field of a bad payload: counted as `schema:<field>`. */
    onRejected(deviceId: string, reason: string, detail?: string): void {
      registry.rejected(deviceSourceId(deviceId), deviceRejectReason(reason, detail))
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
