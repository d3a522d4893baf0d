import type { Source } from './enums.js'

/**
 * Where reports come from (issue #15): MQTT devices, API-key systems (12345 platform, citizen apps, contractors),
 * Open311 keys, the simulator and bare HTTP (hand entry, scripts without a credential). `GET /api/v1/sources`
 * answers a `SourcesResponse`; docs/API.md documents each field.
 */
export const SOURCE_KINDS = ['device', 'api_key', 'open311', 'simulator', 'http'] as const
export type SourceKind = typeof SOURCE_KINDS[number]

export interface SourceView {
  /** `device:<deviceId>`, `api_key:<keyId>`, `open311:<n>`, `simulator`, `http:hand` (entered at the centre), `http:unknown` (refused whole without a credential). */
  id: string
  kind: SourceKind
  /** A name for people (the device kind, the system's name, the channel). */
  label: string
  /** false: not registered, only heard of by its messages (an unknown device id, a channel a bare POST named). */
  registered: boolean
  /** The scope it may report for (`city`, `district:<code>`, `street:<code>`), or null when not bound to one. */
  scope: string | null
  /** The report channel its events count under (incident `source`), when one is fixed. */
  channel: Source | null
  /** A device is offline when silent longer than this; null: no heartbeat expected. */
  expectedIntervalSec: number | null
  /** Messages received (accepted + rejected) in the last `windowSec` seconds, scaled to one minute. */
  messagesPerMin: number
  accepted: number
  rejected: number
  /** Rejections since the server started, by reason (`schema:<field>`, `outside-city`, `unknown-device`, `acl`, `rate-limit`, `auth` …). */
  rejects: Record<string, number>
  /** Last message or status heard from it (ISO, the app's clock), null when never heard since the server started. */
  lastSeenAt: string | null
  /** true / false for sources that connect (devices, the simulator); null where "online" has no meaning. */
  online: boolean | null
  /** When the current outage began (ISO), null while online. */
  offlineSince: string | null
  /** Why it is offline: it said so (`status`, e.g. the broker's last will) or it fell `silent`. */
  offlineReason: 'status' | 'silent' | null
}

export interface SourcesResponse {
  /** The app's clock when the list was taken (ISO): relative times are shown against it. */
  now: string
  /** The sliding window `messagesPerMin` is counted over. */
  windowSec: number
  sources: SourceView[]
}
