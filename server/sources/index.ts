import type { AlarmService } from '../alarms/alarm-service.js'
import type { EventBus } from '../events/bus.js'
import type { CityGeo } from '../geo/city-geo.js'
import type { IngestFn, IngestJsonFn } from '../ingest/ingest-service.js'
import type { Logger } from '../log.js'
import type { Open311Key } from '../open311/api-keys.js'
import { countHttpRefusals } from './http-refusals.js'
import { meteredIngest, meteredIngestJson } from './metered-ingest.js'
import { publishDeviceStatus } from './device-status.js'
import { SourceRegistry } from './registry.js'
import { deviceKind } from './mqtt/device-kinds.js'
import type { MqttCallbacks } from './mqtt/index.js'
import { apiKeySignals, deviceSignals, deviceSourceId } from './signals.js'
import type { DeviceRecord } from '../store/repository.js'

export { SourceRegistry } from './registry.js'
export { deviceSourceId, apiKeySourceId, type DeviceSource } from './signals.js'

export interface SourcesDeps {
  now: () => number
  geo: Pick<CityGeo, 'info' | 'units' | 'locate'>
  /** Open 设备离线 alarms are read at start (devices they name start offline). */
  alarms: Pick<AlarmService, 'open'>
  /** Told `device.status` for each transition of a device; `settled` waits for what its consumers started. */
  events: Pick<EventBus, 'publish' | 'settled'>
  log: Logger
  open311Keys: readonly Open311Key[]
  simulator: boolean
  /** How often silent devices are checked (default 5 s, real time: pacing). */
  sweepMs?: number
  /** How often the device list is read again (devices added or disabled by the CLI, another process). */
  deviceListMs?: number
}

/** Open311 keys are listed by their place in OPEN311_API_KEYS (1-based), never by the key itself. */
export const open311SourceId = (index: number) => `open311:${index + 1}`

/**
 * The sources feature (issue #15): the registry, what feeds it (HTTP, Open311, the simulator; MQTT and API keys
 * through `devices` / `apiKeys`) and the 设备离线 watcher; GET /api/v1/sources is http/sources-router.ts.
 */
export function createSources(deps: SourcesDeps) {
  const registry = new SourceRegistry(deps.now)
  deps.open311Keys.forEach((k, i) => registry.register({ id: open311SourceId(i), kind: 'open311', label: k.source, channel: k.source }))
  if (deps.simulator) registry.register({ id: 'simulator', kind: 'simulator', label: 'simulator' })
  publishDeviceStatus({ registry, events: deps.events, geo: deps.geo })
  const devices = deviceSignals(registry)
  const apiKeys = apiKeySignals(registry)
  let timer: NodeJS.Timeout | null = null
  let listTimer: NodeJS.Timeout | null = null
  let readList: (() => Promise<void>) | null = null
  let soon: NodeJS.Timeout | null = null
  const listed = new Set<string>()
  /** A message from a device not in the list: registered since the last read (the CLI is another process). */
  const refreshSoon = (deviceId: string) => {
    if (soon || !readList || registry.has(deviceSourceId(deviceId)) && listed.has(deviceId)) return
    soon = setTimeout(() => {
      soon = null
      void readList?.()
    }, 1000)
  }

  /** The registered devices as the device registry has them now: enabled ones listed, disabled or removed ones gone. */
  function syncDevices(list: readonly DeviceRecord[]): void {
    const seen = new Set<string>()
    for (const d of list) {
      if (d.disabledAt) continue
      seen.add(d.id)
      devices.onRegistered({ deviceId: d.id, kind: d.kind, scope: d.scope, expectedIntervalSec: d.intervalS, channel: deviceKind(d.kind)?.source ?? 'iot_sensor', ...(d.lon !== undefined && d.lat !== undefined && { lon: d.lon, lat: d.lat }) })
    }
    for (const id of listed) if (!seen.has(id)) devices.onRemoved(id)
    listed.clear()
    for (const id of seen) listed.add(id)
  }

  return {
    registry,
    devices,
    /** The MQTT module's callbacks: counted here, then passed on to `also` (tests' own listeners). */
    mqttCallbacks(also: MqttCallbacks = {}): Required<MqttCallbacks> {
      return {
        onAccepted: (id, n) => { refreshSoon(id); devices.onAccepted(id, n); also.onAccepted?.(id, n) },
        onRejected: (id, reason, detail) => { devices.onRejected(id, reason, detail); also.onRejected?.(id, reason, detail) },
        onStatus: (id, online) => { devices.onStatus(id, online); also.onStatus?.(id, online) },
      }
    },
    /**
     * Reads the device list now and every `deviceListMs` (30 s) while running; devices whose 设备离线 alarm is still
     * open (raised before a restart) start offline, so hearing from them resolves it.
     */
    async followDevices(list: () => Promise<DeviceRecord[]>): Promise<void> {
      const read = readList = () => list().then(syncDevices, (err: unknown) => deps.log.error('device list failed', { error: String(err) }))
      listTimer ??= setInterval(() => void read(), deps.deviceListMs ?? 30_000)
      await read()
      const open = await deps.alarms.open({ level: 'city', code: null }, 10_000)
      for (const a of open) if (a.kind === 'device_offline' && a.sourceId) registry.restoreOutage(a.sourceId, Date.parse(a.raisedAt))
    },
    apiKeys,
    /** POST /api/v1/events: whole-request refusals (429, bad envelope) and each event by the channel it names. */
    httpRefusals: countHttpRefusals(registry),
    /** POST /api/v1/events: counted under its API key, or as a hand entry (`http:hand`). */
    httpJson: (ingestJson: IngestJsonFn) => meteredIngestJson(ingestJson, registry, apiKeys),
    simulator: (ingest: IngestFn) => meteredIngest(ingest, registry, () => 'simulator'),
    open311: {
      accepted: (keyIndex: number) => registry.accepted(open311SourceId(keyIndex)),
      rejected: (keyIndex: number | null, reason: string) => registry.rejected(keyIndex === null ? 'open311:unknown' : open311SourceId(keyIndex), reason),
    },
    start(): void {
      timer ??= setInterval(() => registry.sweep(), deps.sweepMs ?? 5_000)
    },
    /** Waits for the alarms of transitions so far to be stored. */
    settled: () => deps.events.settled(),
    async stop(): Promise<void> {
      if (timer) clearInterval(timer)
      if (listTimer) clearInterval(listTimer)
      if (soon) clearTimeout(soon)
      timer = null
      listTimer = null
      soon = null
      readList = null
      await deps.events.settled()
    },
  }
}

export type SourcesFeature = ReturnType<typeof createSources>
