/** A registered MQTT device (issue #15); its password is stored only as a scrypt hash (server/sources/mqtt/). */
export interface DeviceRecord {
  id: string
  kind: string
  scope: string
  /** Expected reporting interval, seconds. */
  intervalS: number
  /** Where a fixed device sits: reports without coordinates are placed here. */
  lon?: number
  lat?: number
  /** A footfall counter's greenway segment. */
  segment?: string
  disabledAt?: string
  /** Reading excursions already reported: metric → ISO start. */
  excursions: Record<string, string>
  createdAt: string
}

/** The device registry (issue #15): what `npm run user -- device` opens, and nothing else. */
export interface DeviceRepository {
  /** false if the id exists. */
  insertDevice: (device: DeviceRecord, passwordHash: string) => Promise<boolean>
  deviceWithHash: (id: string) => Promise<{ device: DeviceRecord, passwordHash: string } | null>
  listDevices: () => Promise<DeviceRecord[]>
  /** Marks a device disabled (idempotent) and returns it; null if unknown. */
  disableDevice: (id: string, at: string) => Promise<DeviceRecord | null>
  setDeviceExcursions: (id: string, excursions: Record<string, string>) => Promise<void>
}
