import { describe, expect, it } from 'vitest'
import type { DeviceRecord, DeviceRepository } from '../../server/store/repository.js'
import { type Open, useStore } from './support.js'

const device = (id: string, patch: Partial<DeviceRecord> = {}): DeviceRecord => ({
  id, kind: 'footfall', scope: 'city', intervalS: 60, excursions: {}, createdAt: '2026-11-24T01:00:00.000Z', ...patch,
})

/** The MQTT device registry: one record per id, its password only as a hash. */
export function describeDeviceContract(name: string, open: Open<DeviceRepository>): void {
  describe(`DeviceRepository contract: ${name}`, () => {
    const store = useStore(open)

    it('stores a device once per id with its hash, lists them by id, and answers null for an unknown one', async () => {
      const repo = store.repo
      const placed = device('m2', { lon: 104.06, lat: 30.65, segment: 'gw-1' })
      expect(await repo.insertDevice(placed, 'scrypt$2')).toBe(true)
      expect(await repo.insertDevice(device('m1'), 'scrypt$1')).toBe(true)
      expect(await repo.insertDevice(device('m1', { kind: 'other' }), 'scrypt$x')).toBe(false)
      expect(await repo.deviceWithHash('m2')).toEqual({ device: placed, passwordHash: 'scrypt$2' })
      expect(await repo.deviceWithHash('m1')).toEqual({ device: device('m1'), passwordHash: 'scrypt$1' })
      expect(await repo.deviceWithHash('missing')).toBeNull()
      expect((await repo.listDevices()).map(d => d.id)).toEqual(['m1', 'm2'])
    })

    it('disables once (the first time stays) and keeps excursions as given', async () => {
      const repo = store.repo
      await repo.insertDevice(device('m1'), 'h')
      expect(await repo.disableDevice('m1', '2026-11-24T02:00:00.000Z')).toMatchObject({ disabledAt: '2026-11-24T02:00:00.000Z' })
      expect(await repo.disableDevice('m1', '2026-11-24T03:00:00.000Z')).toMatchObject({ disabledAt: '2026-11-24T02:00:00.000Z' })
      expect(await repo.disableDevice('missing', 'now')).toBeNull()
      await repo.setDeviceExcursions('m1', { temperature: '2026-11-24T02:30:00.000Z' })
      expect((await repo.deviceWithHash('m1'))?.device.excursions).toEqual({ temperature: '2026-11-24T02:30:00.000Z' })
      await repo.setDeviceExcursions('m1', {})
      expect((await repo.deviceWithHash('m1'))?.device.excursions).toEqual({})
    })
  })
}
