import type { DeviceRecord } from '../../store/repository.js'
import type { Threshold } from './device-kinds.js'

/**
 * Which reading excursions each device is in (metric → ISO start): a report once when a value first reaches its
 * threshold, none while it stays above `clearBelow`. Seeded from the store on a device's first reading, so a restart
 * does not report an excursion again; the caller saves `current()` after the report is committed.
 */
export class ExcursionTracker {
  private readonly byDevice = new Map<string, Record<string, string>>()

  /** 'start': a new excursion to report; 'end': one cleared; null: nothing changed. */
  observe(device: DeviceRecord, metric: string, value: number, at: string, t: Threshold): 'start' | 'end' | null {
    let open = this.byDevice.get(device.id)
    if (!open) this.byDevice.set(device.id, open = { ...device.excursions })
    if (open[metric] === undefined && value >= t.above) {
      open[metric] = at
      return 'start'
    }
    if (open[metric] !== undefined && value < t.clearBelow) {
      delete open[metric]
      return 'end'
    }
    return null
  }

  /** The report of a 'start' could not be stored: the excursion is not reported yet (its redelivery reports it). */
  undo(deviceId: string, metric: string): void {
    delete this.byDevice.get(deviceId)?.[metric]
  }

  current(deviceId: string): Record<string, string> {
    return { ...this.byDevice.get(deviceId) }
  }
}
