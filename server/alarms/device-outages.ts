import type { EventBus } from '../events/bus.js'
import type { Logger } from '../log.js'
import type { AlarmService } from './alarm-service.js'

/**
 * 设备离线: a device's offline transition raises one alarm, being heard again resolves it. Handled in order (a quick
 * offline → online never resolves before it raised); the bus's `settled` waits for the store.
 */
export function subscribeDeviceOutages(bus: Pick<EventBus, 'subscribe'>, alarms: Pick<AlarmService, 'sourceOffline' | 'sourceBack'>, log: Logger): void {
  let queue: Promise<void> = Promise.resolve()
  bus.subscribe('device.status', 'alarms:device-outages', (d) => {
    const handle = (): Promise<unknown> => d.online
      ? alarms.sourceBack(d.sourceId)
      : alarms.sourceOffline({ sourceId: d.sourceId, sourceLabel: d.sourceLabel, sinceMs: d.at, place: d.place })
    queue = queue.then(handle).then(() => undefined, (err: unknown) => log.error('device offline alarm failed', { source: d.sourceId, error: String(err) }))
    return queue
  })
}
